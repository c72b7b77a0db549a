using System.Text.Json.Serialization;

namespace KaggleStorage.Migration;

/// <summary>What a <see cref="JournalEntry"/> is about; the journal stores the lower-case names.</summary>
internal enum JournalEntryKind
{
    /// <summary>A day of raw data (<c>partition</c> in the journal).</summary>
    [JsonStringEnumMemberName("partition")]
    Day,

    /// <summary>A file of the reports area.</summary>
    [JsonStringEnumMemberName("reports")]
    Reports,

    /// <summary>A file of the metadata area.</summary>
    [JsonStringEnumMemberName("metadata")]
    Metadata,

    /// <summary>An entry of the legacy folder that is not data (debris), left where it is.</summary>
    [JsonStringEnumMemberName("stray")]
    Stray,
}

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
