using KaggleStorage.Layout;

namespace KaggleStorage.Kaggle;

/// <summary>What a download will do for one day: a value to print, check or execute. It holds no secret.</summary>
public sealed record DownloadPlan
{
    internal DownloadPlan(PartitionDate Date, DownloadAction Action, string Destination, KaggleDatasetInfo? Dataset, PartitionDate? UnchangedSince, string? Username)
    {
        this.Date = Date;
        this.Action = Action;
        this.Destination = Destination;
        this.Dataset = Dataset;
        this.UnchangedSince = UnchangedSince;
        this.Username = Username;
    }

    /// <summary>The day the download is filed under.</summary>
    public PartitionDate Date { get; internal init; }

    /// <summary>What will happen.</summary>
    public DownloadAction Action { get; internal init; }

    /// <summary>The <c>raw/YYYYMMDD</c> folder.</summary>
    public string Destination { get; internal init; }

    /// <summary>What Kaggle reported: version and files (null when the day exists and nothing was asked).</summary>
    public KaggleDatasetInfo? Dataset { get; internal init; }

    /// <summary>For <see cref="DownloadAction.Unchanged"/>, the raw day that holds this version already.</summary>
    public PartitionDate? UnchangedSince { get; internal init; }

    /// <summary>The Kaggle user the requests are made as (never the key or token); null when Kaggle need not be asked (the day exists).</summary>
    public string? Username { get; internal init; }
}
