using System.Text.Json.Serialization;

namespace KaggleStorage.Migration;

/// <summary>What became of a <see cref="JournalEntry"/>.</summary>
internal enum JournalOutcome
{
    /// <summary>Copied and verified.</summary>
    [JsonStringEnumMemberName("copied")]
    Copied,

    /// <summary>Identical already, or not data; nothing was copied.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>The destination holds something different; nothing was overwritten.</summary>
    [JsonStringEnumMemberName("conflict")]
    Conflict,

    /// <summary>The source is not safe to copy (a link, a fifo, an unreadable manifest).</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,

    /// <summary>Copying failed; nothing was published.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
