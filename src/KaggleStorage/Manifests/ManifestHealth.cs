using System.Text.Json.Serialization;

namespace KaggleStorage.Manifests;

/// <summary>The state of a partition's download manifest.</summary>
public enum ManifestHealth
{
    /// <summary>The partition has no manifest.</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,

    /// <summary>The manifest reads and matches the files.</summary>
    [JsonStringEnumMemberName("valid")]
    Valid,

    /// <summary>The manifest is unreadable or disagrees with the files.</summary>
    [JsonStringEnumMemberName("invalid")]
    Invalid,
}
