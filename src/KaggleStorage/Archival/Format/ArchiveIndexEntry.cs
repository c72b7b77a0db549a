using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>One file inside a day's archive, as recorded in its index.</summary>
/// <param name="Path">Path relative to the store root, <c>/</c>-separated, e.g. <c>raw/20241026/prices.csv</c>.</param>
/// <param name="SizeBytes">Length in bytes.</param>
/// <param name="Sha256">SHA-256 of the content, lowercase hex.</param>
/// <param name="Mode">Unix permission bits, octal, e.g. <c>0644</c>.</param>
/// <param name="ModifiedUtc">Modification time kept in the archive (whole seconds).</param>
public sealed record ArchiveIndexEntry(string Path, long SizeBytes, string Sha256, string Mode, DateTimeOffset ModifiedUtc)
{
    /// <summary>
    /// Where the file's data starts in the archive's tar stream (index version 2); with the index's block table it
    /// says which compressed blocks hold the file. Absent in version 1 indexes and in indexes rebuilt from an archive.
    /// </summary>
    [JsonInclude]
    internal long? DataOffset { get; init; }
}
