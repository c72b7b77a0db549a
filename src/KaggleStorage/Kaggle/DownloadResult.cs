using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Kaggle;

/// <summary>The outcome of <see cref="DatasetDownloader.ExecuteAsync"/>.</summary>
/// <param name="Date">The day downloaded into.</param>
/// <param name="Status">What happened.</param>
/// <param name="Folder">The <c>raw/YYYYMMDD</c> folder (for an unchanged dataset, the day that holds its version).</param>
/// <param name="Dataset">What Kaggle reported, when the result depends on it (unchanged), else null.</param>
/// <param name="Manifest">The manifest written, when something was downloaded.</param>
/// <param name="Username">The Kaggle user the request was made as (never the key).</param>
public sealed record DownloadResult(
    PartitionDate Date, DownloadStatus Status, string Folder, KaggleDatasetInfo? Dataset, DownloadManifest? Manifest, string? Username);
