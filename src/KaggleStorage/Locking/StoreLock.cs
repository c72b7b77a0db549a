using System.Diagnostics;
using System.IO.Abstractions;
using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Locking;

/// <summary>
/// The cross-process lock that mutating operations hold on the store: a file created with create-new semantics
/// in <c>&lt;root&gt;/.locks/</c>, which is atomic on local disks and on NFS-backed volumes shared by pods.
/// A lock whose holder is provably gone (same host, dead process) or older than
/// <see cref="KaggleStorageOptions.LockStaleAfter"/> is taken over with a warning.
/// </summary>
public sealed class StoreLock
{
    /// <summary>The lock file's name inside <see cref="StorageLayout.LocksDirectory"/>.</summary>
    public const string LockFileName = "store.lock";

    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly TimeProvider _timeProvider;
    private readonly KaggleStorageOptions _options;
    private readonly ILogger<StoreLock> _logger;
    private readonly Func<LockHolder, bool> _isHolderAlive;
    private readonly DateTimeOffset _processStartedAtUtc;

    /// <summary>Creates the lock service.</summary>
    public StoreLock(
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
    }

    /// <summary>The lock file's full path.</summary>
    public string LockPath => _fileSystem.Path.Combine(_layout.LocksDirectory, LockFileName);

    /// <summary>
    /// Takes the lock for <paramref name="command"/>, waiting up to <see cref="KaggleStorageOptions.LockWaitTimeout"/>.
    /// </summary>
    /// <exception cref="StoreLockedException">Another live holder kept the lock past the wait.</exception>
    public Task<StoreLockHandle> AcquireAsync(string command, CancellationToken cancellationToken) =>
        AcquireAsync(command, _options.LockWaitTimeout, cancellationToken);

    /// <summary>Takes the lock for <paramref name="command"/>, waiting up to <paramref name="wait"/>.</summary>
    /// <exception cref="StoreLockedException">Another live holder kept the lock past the wait.</exception>
    public async Task<StoreLockHandle> AcquireAsync(string command, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(command);
        _fileSystem.Directory.CreateDirectory(_layout.LocksDirectory);
        var deadline = _timeProvider.GetUtcNow() + wait;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var holder = new LockHolder(
                Environment.MachineName, Environment.ProcessId, command, _timeProvider.GetUtcNow(), Guid.NewGuid().ToString("N"), _processStartedAtUtc);
            if (TryCreate(holder))
            {
                return new StoreLockHandle(holder, LockPath, Release);
            }

            var current = TryReadHolder(LockPath);
            if (current is not null && GetStaleReason(current) is { } reason)
            {
                TakeOver(current, reason);
                continue;
            }

            var remaining = deadline - _timeProvider.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                throw new StoreLockedException(LockPath, current);
            }

            await Task.Delay(remaining < PollInterval ? remaining : PollInterval, _timeProvider, cancellationToken);
        }
    }

    /// <summary>Who holds the lock now, or null when nobody does (or the file cannot be read).</summary>
    public LockHolder? GetHolder() => TryReadHolder(LockPath);

    private bool TryCreate(LockHolder holder)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(holder, ManifestJsonContext.Default.LockHolder);
        try
        {
            using var stream = _fileSystem.FileStream.New(LockPath, FileMode.CreateNew, FileAccess.Write, FileShare.Read);
            stream.Write(bytes);
            stream.Flush(flushToDisk: true);
            return true;
        }
        catch (IOException) when (_fileSystem.File.Exists(LockPath))
        {
            return false;
        }
    }

    private LockHolder? TryReadHolder(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(_fileSystem.File.ReadAllBytes(path), ManifestJsonContext.Default.LockHolder);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or JsonException)
        {
            // Missing (released meanwhile) or still being written by its creator: treat as held, retry later.
            return null;
        }
    }

    private string? GetStaleReason(LockHolder holder)
    {
        if (string.Equals(holder.Host, Environment.MachineName, StringComparison.OrdinalIgnoreCase) && !_isHolderAlive(holder))
        {
            return $"process {holder.ProcessId} that took it no longer runs on this host";
        }

        var age = _timeProvider.GetUtcNow() - holder.AcquiredAtUtc;
        return age > _options.LockStaleAfter
            ? $"it is {age.TotalHours:0.#} hours old, past the stale age of {_options.LockStaleAfter.TotalHours:0.#} hours"
            : null;
    }

    private void TakeOver(LockHolder stale, string reason)
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

        var moved = TryReadHolder(aside);
        if (moved?.Token != stale.Token)
        {
            // Between reading and renaming, someone else took over and acquired; give their lock back.
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
        _logger.LogWarning("Took over the store lock held by {Holder}: {Reason}", stale, reason);
    }

    private void Release(LockHolder holder)
    {
        var current = TryReadHolder(LockPath);
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

    private static bool IsHolderProcessAlive(LockHolder holder)
    {
        try
        {
            using var process = Process.GetProcessById(holder.ProcessId);
            if (process.HasExited)
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
