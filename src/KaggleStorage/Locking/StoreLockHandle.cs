namespace KaggleStorage.Locking;

/// <summary>A held store lock; disposing it releases the lock.</summary>
public sealed class StoreLockHandle : IAsyncDisposable, IDisposable
{
    private readonly Action<LockHolder> _release;
    private int _released;

    internal StoreLockHandle(LockHolder holder, string lockPath, Action<LockHolder> release)
    {
        Holder = holder;
        LockPath = lockPath;
        _release = release;
    }

    /// <summary>What this handle wrote into the lock file.</summary>
    public LockHolder Holder { get; }

    /// <summary>The lock file.</summary>
    public string LockPath { get; }

    /// <summary>Releases the lock; later calls do nothing.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            _release(Holder);
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }
}
