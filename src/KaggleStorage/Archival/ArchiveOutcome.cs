using System.Text.Json.Serialization;
using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>What archiving did for one day.</summary>
public enum ArchiveStatus
{
    /// <summary>A new archive was written.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>An archive existed with exactly the bytes this run produced; nothing changed.</summary>
    [JsonStringEnumMemberName("identical")]
    Identical,

    /// <summary>An archive existed and differed; it was replaced (<c>--force</c>).</summary>
    [JsonStringEnumMemberName("replaced")]
    Replaced,

    /// <summary>The run was a dry run, or the day was already archived and not asked for explicitly.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Archiving the day failed; see the error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}

/// <summary>The result of archiving one day.</summary>
/// <param name="Date">The day.</param>
/// <param name="Status">What happened.</param>
/// <param name="ArchivePath">The archive's path.</param>
/// <param name="SourceBytes">Bytes of the files archived.</param>
/// <param name="ArchiveBytes">Size of the archive (0 when none was written).</param>
/// <param name="Files">Number of files in the archive.</param>
/// <param name="Error">Why it failed, when it did.</param>
public sealed record ArchiveOutcome(
    PartitionDate Date, ArchiveStatus Status, string ArchivePath, long SourceBytes, long ArchiveBytes, int Files, string? Error = null);
