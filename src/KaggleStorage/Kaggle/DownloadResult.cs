using System.Text.Json.Serialization;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Kaggle;

/// <summary>What a download did.</summary>
public enum DownloadStatus
{
    /// <summary>The day was fetched and published.</summary>
    [JsonStringEnumMemberName("downloaded")]
    Downloaded,

    /// <summary>The day was fetched and replaced the existing one (<c>--force</c>).</summary>
    [JsonStringEnumMemberName("replaced")]
    Replaced,

    /// <summary>The day already exists with a valid manifest; nothing was fetched.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Dry run: the API was asked what would be fetched; nothing was written.</summary>
    [JsonStringEnumMemberName("planned")]
    Planned,
}

/// <summary>The outcome of <see cref="DatasetDownloader.DownloadAsync"/>.</summary>
/// <param name="Date">The day downloaded into.</param>
/// <param name="Status">What happened.</param>
/// <param name="Partition">The <c>raw/YYYYMMDD</c> folder.</param>
/// <param name="Dataset">What Kaggle reported (dry run), else null.</param>
/// <param name="Manifest">The manifest written, when something was downloaded.</param>
/// <param name="Username">The Kaggle user the request was made as (never the key).</param>
public sealed record DownloadResult(
    PartitionDate Date, DownloadStatus Status, string Partition, KaggleDatasetInfo? Dataset, DownloadManifest? Manifest, string? Username);
