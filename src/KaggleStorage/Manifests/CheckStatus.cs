using System.Text.Json.Serialization;

namespace KaggleStorage.Manifests;

/// <summary>Outcome of one validation check, or of a whole report.</summary>
public enum CheckStatus
{
    /// <summary>Nothing wrong found.</summary>
    [JsonStringEnumMemberName("passed")]
    Passed,

    /// <summary>Problems that do not make the data unusable.</summary>
    [JsonStringEnumMemberName("warning")]
    Warning,

    /// <summary>The data breaks the rule.</summary>
    [JsonStringEnumMemberName("failed")]
    Failed,
}
