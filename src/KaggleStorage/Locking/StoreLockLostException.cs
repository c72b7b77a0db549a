namespace KaggleStorage.Locking;

/// <summary>
/// The store lock this operation held was lost (its heartbeat failed or another process took it over), so the
/// operation stopped before publishing anything more.
/// </summary>
public sealed class StoreLockLostException : Exception
{
    /// <summary>Creates the exception.</summary>
    public StoreLockLostException(string lockPath, string reason)
        : base($"The store lock {lockPath} was lost ({reason}); stopped before publishing anything more.")
    {
        LockPath = lockPath;
        Reason = reason;
    }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <summary>Why it was lost.</summary>
    public string Reason { get; }
}
