using KaggleStorage.Layout;

namespace KaggleStorage.Kaggle;

/// <summary>What a download will do for one day: a value to print, check or execute. It holds no secret.</summary>
/// <param name="Date">The day the download is filed under.</param>
/// <param name="Action">What will happen.</param>
/// <param name="Destination">The <c>raw/YYYYMMDD</c> folder.</param>
/// <param name="Dataset">What Kaggle reported: version and files (null when the day exists and nothing was asked).</param>
/// <param name="UnchangedSince">For <see cref="DownloadAction.Unchanged"/>, the raw day that holds this version already.</param>
/// <param name="Username">The Kaggle user the requests are made as (never the key or token); null when Kaggle need not be asked (the day exists).</param>
public sealed record DownloadPlan(
    PartitionDate Date, DownloadAction Action, string Destination, KaggleDatasetInfo? Dataset, PartitionDate? UnchangedSince, string? Username);
