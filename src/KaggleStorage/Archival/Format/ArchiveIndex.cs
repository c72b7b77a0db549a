using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// <c>archive/YYYYMMDD.tar.gz.index.json</c>: what a day's archive holds, so it can be verified without the
/// original files and compared with them while they still exist.
/// </summary>
internal sealed record ArchiveIndex : IManifest<ArchiveIndex>
{
    /// <summary>Suffix of the index next to its archive.</summary>
    public const string Suffix = ".index.json";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <inheritdoc />
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    static System.Text.Json.Serialization.Metadata.JsonTypeInfo<ArchiveIndex> IManifest<ArchiveIndex>.JsonTypeInfo => ArchiveJsonContext.Default.ArchiveIndex;

    static int IManifest<ArchiveIndex>.NewestSchemaVersion => CurrentSchemaVersion;

    string? IManifest<ArchiveIndex>.FindNullEntry() => ManifestNulls.FirstNull(Entries, "$.entries")
        ?? Entries.Select((entry, i) => entry.Path is null ? $"$.entries[{i}].path" : entry.Sha256 is null ? $"$.entries[{i}].sha256" : null)
            .FirstOrDefault(found => found is not null);

    /// <summary>The day archived.</summary>
    public required PartitionDate Partition { get; init; }

    /// <summary>When the archive was written, UTC.</summary>
    public required DateTimeOffset CreatedAtUtc { get; init; }

    /// <summary>Size of the <c>.tar.gz</c> file.</summary>
    public required long ArchiveSizeBytes { get; init; }

    /// <summary>SHA-256 of the <c>.tar.gz</c> file, lowercase hex.</summary>
    public required string ArchiveSha256 { get; init; }

    /// <summary>Every file entry, ordinal order of path.</summary>
    public required IReadOnlyList<ArchiveIndexEntry> Entries { get; init; }
}
