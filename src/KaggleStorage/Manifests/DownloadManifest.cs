using KaggleStorage.Layout;

namespace KaggleStorage.Manifests;

/// <summary><c>raw/YYYYMMDD/download_manifest.json</c>: what a raw partition holds and where it came from.</summary>
public sealed record DownloadManifest : IManifest<DownloadManifest>
{
    /// <summary>The file name inside a raw partition.</summary>
    public const string FileName = "download_manifest.json";

    /// <summary>Where migration keeps, byte for byte, the manifest an old job wrote in its own format.</summary>
    internal const string LegacyFileName = "download_manifest.legacy.json";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    internal const int CurrentSchemaVersion = 1;

    /// <inheritdoc />
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<DownloadManifest> IManifest<DownloadManifest>.JsonTypeInfo => ManifestJsonContext.Default.DownloadManifest;

    static int IManifest<DownloadManifest>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<DownloadManifest>.FindNullEntry() => ManifestNulls.FirstNull(Files, "$.files")
        ?? Files.Select((file, i) => file.Name is null ? $"$.files[{i}].name" : file.Sha256 is null ? $"$.files[{i}].sha256" : null)
            .FirstOrDefault(found => found is not null);

    /// <summary>The Kaggle dataset, <c>owner/slug</c>.</summary>
    public required string DatasetId { get; init; }

    /// <summary>The Kaggle dataset version number, when known.</summary>
    public string? DatasetVersion { get; init; }

    /// <summary>The day this partition belongs to.</summary>
    public required PartitionDate Partition { get; init; }

    /// <summary>When the files were fetched (or migrated), UTC.</summary>
    public required DateTimeOffset DownloadedAtUtc { get; init; }

    /// <summary>Where the files came from: a URL without credentials, <c>migrated:&lt;path&gt;</c>, or <c>demo</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Every data file of the partition, ordinal order of name; the manifest itself is not listed.</summary>
    public required IReadOnlyList<ManifestFile> Files { get; init; }
}
