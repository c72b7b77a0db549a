using System.Text.Json.Serialization;

namespace KaggleStorage.Retention;

/// <summary>What prune does with one entry of the store.</summary>
public enum PruneDecision
{
    /// <summary>Within retention, or protected by <see cref="RetentionOptions.KeepLast"/>.</summary>
    [JsonStringEnumMemberName("keep")]
    Keep,

    /// <summary>Past retention; deleted.</summary>
    [JsonStringEnumMemberName("delete")]
    Delete,

    /// <summary>Past retention; deleted only once the day has a verified archive (made first when missing).</summary>
    [JsonStringEnumMemberName("archiveThenDelete")]
    ArchiveThenDelete,
}
