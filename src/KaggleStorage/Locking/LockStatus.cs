namespace KaggleStorage.Locking;

/// <summary>The store lock as seen now.</summary>
/// <param name="State">Free, held or stale.</param>
/// <param name="Holder">Who holds it, when the lock file reads.</param>
/// <param name="Reason">Why it is stale, or why the holder is unknown.</param>
public sealed record LockStatus(LockState State, LockHolder? Holder, string? Reason)
{
    /// <inheritdoc />
    public override string ToString() => State switch
    {
        LockState.Free => "free",
        LockState.Held => Holder is null ? $"held ({Reason})" : $"held by {Holder}",
        _ => $"stale{(Holder is null ? string.Empty : $", held by {Holder}")}: {Reason}",
    };
}
