using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>Where a file of a day is read from.</summary>
public enum DayFileOrigin
{
    /// <summary>The day's live folder, <c>raw/YYYYMMDD</c> or <c>processed/YYYYMMDD</c>.</summary>
    [JsonStringEnumMemberName("live")]
    Live,

    /// <summary>The day's archive in the archive store (the <c>archive/</c> folder or a bucket).</summary>
    [JsonStringEnumMemberName("archive")]
    Archive,
}
