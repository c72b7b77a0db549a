using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

/// <summary>What a download did.</summary>
public enum DownloadStatus
{
    /// <summary>The day was fetched and published.</summary>
    [JsonStringEnumMemberName("downloaded")]
    Downloaded,

    /// <summary>The day was fetched and replaced the existing one (with force).</summary>
    [JsonStringEnumMemberName("replaced")]
    Replaced,

    /// <summary>The day already exists with a valid manifest; nothing was fetched.</summary>
    [JsonStringEnumMemberName("skipped")]
    Skipped,

    /// <summary>Kaggle's current version is the newest raw day's: nothing was downloaded, the check was recorded.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,
}
