using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Kaggle;

/// <summary>The outcome of <see cref="DatasetDownloader.ExecuteAsync"/>.</summary>
public sealed record DownloadResult
{
    internal DownloadResult(PartitionDate Date, DownloadStatus Status, string Folder, KaggleDatasetInfo? Dataset, DownloadManifest? Manifest, string? Username)
    {
        this.Date = Date;
        this.Status = Status;
        this.Folder = Folder;
        this.Dataset = Dataset;
        this.Manifest = Manifest;
        this.Username = Username;
    }

    /// <summary>The day downloaded into.</summary>
    public PartitionDate Date { get; internal init; }

    /// <summary>What happened.</summary>
    public DownloadStatus Status { get; internal init; }

    /// <summary>The <c>raw/YYYYMMDD</c> folder (for an unchanged dataset, the day that holds its version).</summary>
    public string Folder { get; internal init; }

    /// <summary>What Kaggle reported, when the result depends on it (unchanged), else null.</summary>
    public KaggleDatasetInfo? Dataset { get; internal init; }

    /// <summary>The manifest written, when something was downloaded.</summary>
    public DownloadManifest? Manifest { get; internal init; }

    /// <summary>The Kaggle user the request was made as (never the key).</summary>
    public string? Username { get; internal init; }
}
