namespace KaggleStorage.Locking;

/// <summary>The store lock as seen now, in words: one view for status and for people.</summary>
public sealed record LockStatus
{
    internal LockStatus(string State, string? Holder, string? Reason)
    {
        this.State = State;
        this.Holder = Holder;
        this.Reason = Reason;
    }

    /// <summary><c>free</c>, <c>held</c> or <c>stale</c> (the next mutating command takes a stale lock over).</summary>
    public string State { get; internal init; }

    /// <summary>Who holds it (<c>host pid N (command) since …</c>), when the lock file reads.</summary>
    public string? Holder { get; internal init; }

    /// <summary>Why it is stale, or why the holder is unknown.</summary>
    public string? Reason { get; internal init; }

    /// <inheritdoc />
    public override string ToString() => State switch
    {
        "free" => "free",
        "held" => Holder is null ? $"held ({Reason})" : $"held by {Holder}",
        _ => $"stale{(Holder is null ? string.Empty : $", held by {Holder}")}: {Reason}",
    };
}
