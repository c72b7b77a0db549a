using System.Text.Json.Serialization;

namespace KaggleStorage.Manifests;

/// <summary>Outcome of loading a partition or one of its files.</summary>
public enum LoadStatus
{
    /// <summary>Every row was loaded.</summary>
    [JsonStringEnumMemberName("succeeded")]
    Succeeded,

    /// <summary>Loaded, with rejected rows or failed files.</summary>
    [JsonStringEnumMemberName("partiallySucceeded")]
    PartiallySucceeded,

    /// <summary>Nothing usable was loaded.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
