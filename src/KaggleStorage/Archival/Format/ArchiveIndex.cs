using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// <c>archive/YYYYMMDD.tar.gz.index.json</c>: what a day's archive holds, so it can be verified without the
/// original files and compared with them while they still exist, and (from version 2) where its compressed blocks
/// and its files' data are, so one file is read by inflating only its blocks.
/// </summary>
internal sealed record ArchiveIndex : IManifest<ArchiveIndex>
{
    /// <summary>Suffix of the index next to its archive.</summary>
    public const string Suffix = ".index.json";

    /// <summary>The schema version this library writes and the newest it reads.</summary>
    public const int CurrentSchemaVersion = 2;

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

    /// <summary>
    /// Length of the tar stream inside the archive (version 2, with <see cref="Blocks"/>); absent when the index
    /// was written before version 2 or rebuilt from an archive this library did not write.
    /// </summary>
    public long? TarSizeBytes { get; init; }

    /// <summary>
    /// The archive's independently inflatable blocks in order, each written as a bare array
    /// <c>[compressedOffset, compressedLength, uncompressedOffset, uncompressedLength]</c>; absent like
    /// <see cref="TarSizeBytes"/>. Checked by <see cref="ArchiveBlockTable"/> before it is used.
    /// </summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(ArchiveBlockListConverter))]
    public IReadOnlyList<ArchiveBlock>? Blocks { get; init; }
}
