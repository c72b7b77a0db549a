using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Kaggle;

/// <summary>
/// <c>metadata/downloads/YYYYMMDD.json</c>: the nightly download asked Kaggle on this day and found the dataset
/// unchanged since an earlier day, so it downloaded nothing. Status counts the day as covered, not missing.
/// </summary>
internal sealed record DownloadCheck : IManifest<DownloadCheck>
{
    /// <summary>The schema this library writes.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <inheritdoc />
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<DownloadCheck> IManifest<DownloadCheck>.JsonTypeInfo => DownloadJsonContext.Default.DownloadCheck;

    static int IManifest<DownloadCheck>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<DownloadCheck>.FindNullEntry() => null;

    /// <summary>The day of the check.</summary>
    public required PartitionDate Date { get; init; }

    /// <summary>When Kaggle was asked.</summary>
    public required DateTimeOffset CheckedAtUtc { get; init; }

    /// <summary>The dataset, <c>owner/slug</c>.</summary>
    public required string DatasetId { get; init; }

    /// <summary>The version Kaggle reported, the same as the newest raw day's.</summary>
    public required string DatasetVersion { get; init; }

    /// <summary>The newest raw day, which already holds this version.</summary>
    public required PartitionDate UnchangedSince { get; init; }
}
