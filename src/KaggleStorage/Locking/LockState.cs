using System.Text.Json.Serialization;

namespace KaggleStorage.Locking;

/// <summary>The state of the store lock as another process sees it.</summary>
internal enum LockState
{
    /// <summary>No lock file.</summary>
    [JsonStringEnumMemberName("free")]
    Free,

    /// <summary>Held by a live holder (or a lock file still being written).</summary>
    [JsonStringEnumMemberName("held")]
    Held,

    /// <summary>Held by a holder that is gone or silent too long; the next mutating command takes it over.</summary>
    [JsonStringEnumMemberName("stale")]
    Stale,
}
