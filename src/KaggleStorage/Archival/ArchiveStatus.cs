using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>What archiving did for one day.</summary>
internal enum ArchiveStatus
{
    /// <summary>A new archive was written.</summary>
    [JsonStringEnumMemberName("created")]
    Created,

    /// <summary>An archive existed with exactly the bytes this run produced; nothing changed.</summary>
    [JsonStringEnumMemberName("identical")]
    Identical,

    /// <summary>
    /// An archive existed and live files differed from it without being newer; with force they won, and files only
    /// in the old archive were carried over.
    /// </summary>
    [JsonStringEnumMemberName("replaced")]
    Replaced,

    /// <summary>Archiving the day failed; see the error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,

    /// <summary>
    /// An archive existed and was stale (live files newer than it or not in it); it was replaced by one holding the
    /// live files and every file only the old archive held.
    /// </summary>
    [JsonStringEnumMemberName("refreshed")]
    Refreshed,

    /// <summary>The day no longer needed archiving when the run reached it (pruned or archived since the plan).</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}
