namespace KaggleStorage.Locking;

/// <summary>Another process holds the store lock and did not release it in time.</summary>
public sealed class StoreLockedException : Exception
{
    internal StoreLockedException(string lockPath, LockHolder? holder)
        : base(holder is null
            ? $"The store is locked ({lockPath}) by a holder whose lock file cannot be read yet."
            : $"The store is locked by {holder.Host} pid {holder.ProcessId} ({holder.Command}) since {holder.AcquiredAtUtc.UtcDateTime:yyyy-MM-dd HH:mm:ss}Z ({lockPath}).")
    {
        LockPath = lockPath;
        Holder = holder?.ToString();
    }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <summary>Who holds it (<c>host pid N (command) since …</c>), when the file could be read.</summary>
    public string? Holder { get; }
}
