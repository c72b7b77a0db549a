namespace KaggleStorage.Locking;

/// <summary>Who holds the store lock, as written inside the lock file.</summary>
/// <param name="Host">Machine (or pod) name of the holder.</param>
/// <param name="ProcessId">Holder's process id on that host.</param>
/// <param name="Command">The operation that took the lock, e.g. <c>migrate</c>.</param>
/// <param name="AcquiredAtUtc">When the lock was taken.</param>
/// <param name="Token">Unique per acquisition, so a holder only ever removes its own lock.</param>
/// <param name="ProcessStartedAtUtc">
/// When the holder's process started. Process ids are reused (a restarted container is often pid 1 again), so
/// a live process with the same id but another start time is not the holder.
/// </param>
/// <param name="RefreshedAtUtc">The holder's last heartbeat; the lock is stale when it is too old.</param>
internal sealed record LockHolder(
    string Host,
    int ProcessId,
    string Command,
    DateTimeOffset AcquiredAtUtc,
    string Token,
    DateTimeOffset? ProcessStartedAtUtc = null,
    DateTimeOffset? RefreshedAtUtc = null)
{
    /// <summary>The last sign of life: the heartbeat, or the acquisition for a holder that wrote none.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public DateTimeOffset LastSeenUtc => RefreshedAtUtc ?? AcquiredAtUtc;

    /// <summary>The prefix of the holder's staging entries, which tells them from a killed run's leftovers.</summary>
    internal string StagingOwner => Token.Length > 12 ? Token[..12] : Token;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Host} pid {ProcessId} ({Command}) since {AcquiredAtUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z";
}
