using System.Text.Json.Serialization;

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

    /// <summary>An archive existed and differed; it was replaced (with force).</summary>
    [JsonStringEnumMemberName("replaced")]
    Replaced,

    /// <summary>Archiving the day failed; see the error.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
