using KaggleStorage.IO;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Locking;

/// <summary>
/// A held store lock: it refreshes the lock on a heartbeat, hands out the staged folders and files through which
/// every write of the store is published, and refuses to publish once the lock is lost. Disposing it releases the
/// lock.
/// </summary>
public sealed class StoreLockHandle : IAsyncDisposable, IDisposable
{
    private readonly StoreLock _owner;
    private readonly ITimer _heartbeat;
    private readonly CancellationTokenSource _lost = new();
    private readonly Lock _sync = new();
    private string? _lostReason;
    private int _released;

    internal StoreLockHandle(StoreLock owner, LockHolder holder, TimeProvider timeProvider, TimeSpan refreshInterval)
    {
        _owner = owner;
        Holder = holder;
        _heartbeat = timeProvider.CreateTimer(_ => Refresh(), null, refreshInterval, refreshInterval);
    }

    /// <summary>How many entries of killed runs (in <c>.staging/</c> and <c>.trash/</c>) taking the lock removed.</summary>
    internal int LeftoversRemoved { get; set; }

    /// <summary>What this handle last wrote into the lock file.</summary>
    internal LockHolder Holder { get; private set; }

    /// <summary>The lock file.</summary>
    internal string LockPath => _owner.LockPath;

    /// <summary>Cancelled when the lock is lost, so long work stops instead of running unprotected.</summary>
    public CancellationToken LostToken => _lost.Token;

    /// <summary>
    /// A new folder under <c>&lt;root&gt;/.staging/</c> to fill and then publish; <paramref name="purpose"/> names it
    /// (e.g. <c>restore-20241026</c>) so that a leftover tells what made it.
    /// </summary>
    public StagedDirectory CreateStagedDirectory(string purpose) =>
        _owner.Staging.CreateDirectory(Holder.StagingOwner, purpose, EnsureHeld);

    /// <summary>A new file under <c>&lt;root&gt;/.staging/</c> to write and then publish.</summary>
    internal StagedFile CreateStagedFile(string purpose) =>
        _owner.Staging.CreateFile(Holder.StagingOwner, purpose, EnsureHeld);

    /// <summary>
    /// Writes a file outside the store through the same staged sequence, staging in
    /// <paramref name="stagingDirectory"/> (on the destination's volume, so the rename stays atomic). Leftovers
    /// of earlier runs there are removed first.
    /// </summary>
    internal StagedDirectory CreateStagedDirectoryIn(string stagingDirectory, string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(stagingDirectory);
        var area = new StagingArea(_owner.FileSystem, stagingDirectory);
        area.RemoveLeftovers(Holder.StagingOwner);
        return area.CreateDirectory(Holder.StagingOwner, purpose, EnsureHeld);
    }

    /// <summary>Writes <paramref name="destination"/> through a staged file, replacing what is there atomically.</summary>
    public async Task WriteFileAsync(
        string destination, Func<Stream, CancellationToken, Task> writeContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writeContent);
        await using var staged = CreateStagedFile(Path.GetFileName(destination));
        await using (var stream = staged.OpenWrite())
        {
            await writeContent(stream, cancellationToken);
        }

        await staged.PublishAsync(destination, overwrite: true, cancellationToken);
    }

    /// <summary>Throws when the lock is no longer this handle's.</summary>
    /// <exception cref="StoreLockLostException">The heartbeat failed, or the lock file names someone else.</exception>
    public void EnsureHeld()
    {
        lock (_sync)
        {
            if (_lostReason is null && _released == 0)
            {
                try
                {
                    _owner.EnsureHeldBy(Holder);
                }
                catch (StoreLockLostException exception)
                {
                    MarkLost(exception.Reason);
                }
            }

            if (_lostReason is not null || _released != 0)
            {
                throw new StoreLockLostException(LockPath, _lostReason ?? "it was released");
            }
        }
    }

    /// <summary>Releases the lock; later calls do nothing.</summary>
    public void Dispose()
    {
        lock (_sync)
        {
            if (Interlocked.Exchange(ref _released, 1) != 0)
            {
                return;
            }

            _heartbeat.Dispose();
            if (_lostReason is null)
            {
                _owner.Release(Holder);
            }
        }

        _lost.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Refresh()
    {
        lock (_sync)
        {
            if (_released != 0 || _lostReason is not null)
            {
                return;
            }

            try
            {
                Holder = _owner.Refresh(Holder);
            }
            catch (StoreLockLostException exception)
            {
                MarkLost(exception.Reason);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                MarkLost($"refreshing it failed: {exception.Message}");
            }
        }
    }

    private void MarkLost(string reason)
    {
        _lostReason = reason;
        _owner.Logger.LogError("Lost the store lock {LockPath}: {Reason}; stopping before publishing anything more", LockPath, reason);
        _lost.Cancel();
    }
}
