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
