using System.Text.Json.Serialization;

namespace KaggleStorage.Migration;

/// <summary>What migration (or rollback) does with a partition or file.</summary>
internal enum MigrationAction
{
    /// <summary>Not at the destination yet: copied and verified.</summary>
    [JsonStringEnumMemberName("copy")]
    Copy,

    /// <summary>Already at the destination with the same content: left alone.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,

    /// <summary>The destination holds something different: never overwritten, reported.</summary>
    [JsonStringEnumMemberName("conflict")]
    Conflict,

    /// <summary>The source day holds a link, fifo, socket or device: never copied or followed, reported.</summary>
    [JsonStringEnumMemberName("refused")]
    Refused,
}
