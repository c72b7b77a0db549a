using System.Diagnostics;
using System.IO.Abstractions;
using System.Text.Json;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Locking;

/// <summary>
/// The cross-process lock that every writer of the store holds: <c>&lt;root&gt;/.locks/store.lock</c>, written
/// completely under a temporary name and then linked into place without replacing (so it is never seen empty or
/// half-written), refreshed by its holder on a heartbeat. A lock is stale when its holder is provably gone (same
/// host, dead process), silent for <see cref="KaggleStorageOptions.LockStaleAfter"/>, or when the file is empty or
/// unreadable for longer than <see cref="KaggleStorageOptions.LockUnreadableGrace"/>; a stale lock is taken over
/// with a warning. Taking the lock also removes what killed runs left in <c>.staging/</c> and <c>.trash/</c>.
/// </summary>
public sealed class StoreLock
{
    /// <summary>The lock file's name inside <see cref="StorageLayout.LocksDirectory"/>.</summary>
    internal const string LockFileName = "store.lock";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly KaggleStorageOptions _options;
    private readonly ILogger<StoreLock> _logger;
    private readonly Func<LockHolder, bool> _isHolderAlive;
    private readonly DateTimeOffset _processStartedAtUtc;

    /// <summary>Creates the lock service.</summary>
    internal StoreLock(
        StorageLayout layout,
        IFileSystem fileSystem,
        TimeProvider timeProvider,
        IOptions<KaggleStorageOptions> options,
        ILogger<StoreLock> logger)
        : this(layout, fileSystem, timeProvider, options, logger, IsHolderProcessAlive)
    {
    }

    internal StoreLock(
        StorageLayout layout,
        IFileSystem fileSystem,
        TimeProvider timeProvider,
        IOptions<KaggleStorageOptions> options,
        ILogger<StoreLock> logger,
        Func<LockHolder, bool> isHolderAlive)
    {
        ArgumentNullException.ThrowIfNull(options);
        _layout = layout;
        _fileSystem = fileSystem;
        _timeProvider = timeProvider;
        _options = options.Value;
        _logger = logger;
        _isHolderAlive = isHolderAlive;
        using var self = Process.GetCurrentProcess();
        _processStartedAtUtc = self.StartTime.ToUniversalTime();
        Staging = new StagingArea(fileSystem, layout.StagingDirectory);
    }

    /// <summary>The lock file's full path.</summary>
    internal string LockPath => _fileSystem.Path.Combine(_layout.LocksDirectory, LockFileName);

    internal StagingArea Staging { get; }

    internal IFileSystem FileSystem => _fileSystem;

    internal ILogger Logger => _logger;

    /// <summary>
    /// Takes the lock for <paramref name="command"/>, waiting up to <see cref="KaggleStorageOptions.LockWaitTimeout"/>.
    /// </summary>
    /// <exception cref="StoreLockedException">Another live holder kept the lock past the wait.</exception>
    public Task<StoreLockHandle> AcquireAsync(string command, CancellationToken cancellationToken) =>
        AcquireAsync(command, _options.LockWaitTimeout, cancellationToken);

    /// <summary>Takes the lock for <paramref name="command"/>, waiting up to <paramref name="wait"/>.</summary>
    /// <exception cref="StoreLockedException">Another live holder kept the lock past the wait.</exception>
    /// <exception cref="Errors.StorageInputException">The store root does not exist.</exception>
    public async Task<StoreLockHandle> AcquireAsync(string command, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);

        // Creating .locks/ would create the root too: a mistyped root must fail, not become an empty store.
        _layout.EnsureExists();
        _fileSystem.Directory.CreateDirectory(_layout.LocksDirectory);
        var deadline = _timeProvider.GetUtcNow() + wait;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = _timeProvider.GetUtcNow();
            var holder = new LockHolder(
                Environment.MachineName, Environment.ProcessId, command, now, Guid.NewGuid().ToString("N"), _processStartedAtUtc, now);
            if (TryCreate(holder))
            {
                var handle = new StoreLockHandle(this, holder, _timeProvider, _options.LockRefreshInterval);
                try
                {
                    handle.LeftoversRemoved = RemoveLeftovers(holder);
                }
                catch
                {
                    handle.Dispose();
                    throw;
                }

                return handle;
            }

            var status = GetStatus();
            if (status.State == LockState.Stale)
            {
                TakeOver(status);
                continue;
            }

            if (status.State == LockState.Free)
            {
                continue;
            }

            var remaining = deadline - _timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new StoreLockedException(LockPath, status.Holder);
            }

            await Task.Delay(remaining < PollInterval ? remaining : PollInterval, _timeProvider, cancellationToken);
        }
    }

    /// <summary>Who holds the lock now, or null when nobody does (or the file cannot be read).</summary>
    internal LockHolder? GetHolder() => TryReadHolder(LockPath, out _);

    /// <summary>Whether the lock is free, held or stale, and why.</summary>
    internal LockReading GetStatus()
    {
        var holder = TryReadHolder(LockPath, out var exists);
        if (!exists)
        {
            return new LockReading(LockState.Free, null, null);
        }

        if (holder is null)
        {
            DateTime written;
            try
            {
                written = _fileSystem.File.GetLastWriteTimeUtc(LockPath);
            }
            catch (IOException)
            {
                return new LockReading(LockState.Free, null, null);
            }

            var age = _timeProvider.GetUtcNow() - new DateTimeOffset(written, TimeSpan.Zero);
            return age > _options.LockUnreadableGrace
                ? new LockReading(LockState.Stale, null, $"the lock file is empty or unreadable and was last written {Describe(age)} ago")
                : new LockReading(LockState.Held, null, "the lock file is being written or cannot be read yet");
        }

        if (string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) && !_isHolderAlive(holder))
        {
            return new LockReading(LockState.Stale, holder, $"process {holder.ProcessId} that took it no longer runs on this host");
        }

        var silent = _timeProvider.GetUtcNow() - holder.LastSeenUtc;
        return silent > _options.LockStaleAfter
            ? new LockReading(LockState.Stale, holder, $"its holder has not refreshed it for {Describe(silent)}, past {Describe(_options.LockStaleAfter)}")
            : new LockReading(LockState.Held, holder, null);
    }

    /// <summary>
    /// What killed runs left in <c>.staging/</c> and <c>.trash/</c>: everything there except the staging entries of
    /// a live holder of the lock.
    /// </summary>
    internal IReadOnlyList<LeftoverEntry> ListLeftovers()
    {
        var status = GetStatus();
        var liveOwner = status.State == LockState.Held ? status.Holder?.StagingOwner : null;
        if (status.State == LockState.Held && liveOwner is null)
        {
            // A lock whose file cannot be read yet: its holder is starting, and what it stages is not a leftover.
            return [];
        }

        var trash = new StagingArea(_fileSystem, new TrashBin(_layout, _fileSystem).TrashDirectory);
        return Staging.ListLeftovers(liveOwner)
            .Concat(liveOwner is null ? trash.ListLeftovers(null) : [])
            .Select(entry => new LeftoverEntry(entry.Path, entry.Bytes) { PutBackTo = entry.PutBackTo })
            .ToList();
    }

    /// <summary>Rewrites the lock with a new heartbeat, provided it is still <paramref name="holder"/>'s.</summary>
    /// <exception cref="StoreLockLostException">The lock file is gone or belongs to someone else.</exception>
    internal LockHolder Refresh(LockHolder holder)
    {
        EnsureHeldBy(holder);
        var refreshed = holder with { RefreshedAtUtc = _timeProvider.GetUtcNow() };
        var temporary = WriteTemporary(refreshed);
        try
        {
            Durable.Rename(_fileSystem, temporary, LockPath, overwrite: true);
        }
        finally
        {
            DeleteQuietly(temporary);
        }

        return refreshed;
    }

    /// <summary>Throws unless the lock file names <paramref name="holder"/>.</summary>
    /// <exception cref="StoreLockLostException">The lock file is gone or belongs to someone else.</exception>
    internal void EnsureHeldBy(LockHolder holder)
    {
        var current = TryReadHolder(LockPath, out var exists);
        if (current?.Token != holder.Token)
        {
            throw new StoreLockLostException(
                LockPath, exists ? $"it is now held by {current?.ToString() ?? "an unreadable holder"}" : "the lock file is gone");
        }
    }

    internal void Release(LockHolder holder)
    {
        var current = TryReadHolder(LockPath, out _);
        if (current?.Token != holder.Token)
        {
            _logger.LogWarning(
                "The store lock was no longer ours when releasing it (now held by {Holder}); leaving it in place", current);
            return;
        }

        try
        {
            _fileSystem.File.Delete(LockPath);
        }
        catch (IOException exception)
        {
            _logger.LogWarning(exception, "Could not delete the store lock {LockPath}", LockPath);
        }
    }

    private int RemoveLeftovers(LockHolder holder)
    {
        var staged = Staging.RemoveLeftovers(holder.StagingOwner);
        var (trashed, failures) = new TrashBin(_layout, _fileSystem).Empty();
        foreach (var failure in failures)
        {
            _logger.LogWarning("Could not finish deleting {Entry} from the trash; the next locked command tries again", failure);
        }

        if (staged + trashed > 0)
        {
            _logger.LogInformation(
                "Removed {Staged} staging and {Trashed} trash entries that an interrupted run left behind", staged, trashed);
        }

        return staged + trashed;
    }

    private bool TryCreate(LockHolder holder)
    {
        var temporary = WriteTemporary(holder);
        try
        {
            Durable.Rename(_fileSystem, temporary, LockPath, overwrite: false);
            return true;
        }
        catch (IOException) when (_fileSystem.File.Exists(LockPath))
        {
            return false;
        }
        finally
        {
            DeleteQuietly(temporary);
        }
    }

    private string WriteTemporary(LockHolder holder)
    {
        // Complete and on disk before it is linked into place, so the lock file is never seen empty.
        var temporary = _fileSystem.Path.Combine(_layout.LocksDirectory, $".{LockFileName}.{Guid.NewGuid():N}.tmp");
        try
        {
            _fileSystem.File.WriteAllBytes(temporary, JsonSerializer.SerializeToUtf8Bytes(holder, LockJsonContext.Default.LockHolder));
            Durable.FlushTree(_fileSystem, temporary, CancellationToken.None);
            return temporary;
        }
        catch
        {
            // A full disk fails here, before anything is visible under the lock's name; leave no debris either.
            DeleteQuietly(temporary);
            throw;
        }
    }

    private LockHolder? TryReadHolder(string path, out bool exists)
    {
        exists = false;
        try
        {
            var bytes = _fileSystem.File.ReadAllBytes(path);
            exists = true;
            return bytes.Length == 0 ? null : JsonSerializer.Deserialize(bytes, LockJsonContext.Default.LockHolder);
        }
        catch (Exception exception) when (exception is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            exists = true;
            return null;
        }
    }

    private void TakeOver(LockReading stale)
    {
        // Renaming to a unique name is atomic, so of several processes taking over only one wins; the loser finds
        // the file gone and simply retries the create.
        var aside = _fileSystem.Path.Combine(_layout.LocksDirectory, $".{LockFileName}.stale-{Guid.NewGuid():N}");
        try
        {
            _fileSystem.File.Move(LockPath, aside);
        }
        catch (FileNotFoundException)
        {
            return;
        }

        var moved = TryReadHolder(aside, out _);
        if (moved?.Token != stale.Holder?.Token)
        {
            // Between looking and renaming, someone else took over and acquired; give their lock back.
            try
            {
                _fileSystem.File.Move(aside, LockPath);
            }
            catch (IOException exception)
            {
                _logger.LogError(exception, "Could not restore the store lock {LockPath} moved aside to {Aside}", LockPath, aside);
            }

            return;
        }

        _fileSystem.File.Delete(aside);
        _logger.LogWarning("Took over the store lock {Status}", stale);
    }

    private void DeleteQuietly(string path)
    {
        try
        {
            _fileSystem.File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string Describe(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{span.TotalHours:0.#} hours" : span.TotalMinutes >= 1 ? $"{span.TotalMinutes:0.#} minutes" : $"{span.TotalSeconds:0} seconds";

    /// <summary>
    /// Whether the process has exited and only waits to be reaped (state Z, or X while it goes). Signals still reach
    /// such a pid and its start time still reads, so without this a holder that died under a parent that never
    /// waits for it would count as alive until the lock goes silent.
    /// </summary>
    internal static bool IsZombie(int processId)
    {
        string stat;
        try
        {
            stat = File.ReadAllText($"/proc/{processId}/stat");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // No procfs (macOS) or the process is gone: the other checks decide.
            return false;
        }

        // "pid (comm) S ...": the name may hold spaces and parentheses, so the state follows the last ')'.
        var end = stat.LastIndexOf(')');
        return end >= 0 && end + 2 < stat.Length && stat[end + 2] is 'Z' or 'X';
    }

    private static bool IsHolderProcessAlive(LockHolder holder)
    {
        try
        {
            using var process = Process.GetProcessById(holder.ProcessId);
            if (process.HasExited || IsZombie(holder.ProcessId))
            {
                return false;
            }

            // Start times are read back with clock-tick precision; a second of slack tells reuse from rounding.
            return holder.ProcessStartedAtUtc is not { } started
                || (process.StartTime.ToUniversalTime() - started).Duration() < TimeSpan.FromSeconds(1);
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
