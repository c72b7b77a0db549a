namespace KaggleStorage.Locking;

/// <summary>The store lock as read now, with its holder's record: what the lock itself decides on.</summary>
/// <param name="State">Free, held or stale.</param>
/// <param name="Holder">Who holds it, when the lock file reads.</param>
/// <param name="Reason">Why it is stale, or why the holder is unknown.</param>
internal sealed record LockReading(LockState State, LockHolder? Holder, string? Reason)
{
    /// <summary>The view callers see: the state in its JSON word and the holder in words.</summary>
    public LockStatus ToStatus() => new(State switch
    {
        LockState.Free => "free",
        LockState.Held => "held",
        _ => "stale",
    }, Holder?.ToString(), Reason);
}
