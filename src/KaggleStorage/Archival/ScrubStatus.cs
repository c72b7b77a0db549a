using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>What reading one archive found.</summary>
internal enum ScrubStatus
{
    /// <summary>Read end to end: every check <c>verify</c> makes on an archive passed.</summary>
    [JsonStringEnumMemberName("sound")]
    Sound,

    /// <summary>The archive or its index is damaged; see the problems.</summary>
    [JsonStringEnumMemberName("damaged")]
    Damaged,

    /// <summary>The index exists but the archive it points at does not.</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,

    /// <summary>The day was pruned or archived again while it was read (or a replace of it is unfinished): nothing is judged.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,
}
