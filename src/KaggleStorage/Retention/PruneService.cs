using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Retention;

/// <summary>
/// Applies the retention policy under the store lock (whose acquisition finishes what an interrupted prune left in
/// the trash), plans, and removes. A raw or processed day past retention is deleted only once an archive of it was
/// verified in this run (made first when missing), and only when the files it removes equal, path for path and
/// size and modification time, the live files that verification read and hashed; otherwise the day is kept and reported. Every deletion is a
/// rename into <c>.trash/</c> first, so a kill at any moment leaves each entry whole or in the trash.
/// </summary>
public sealed class PruneService
{
    private readonly StoreLock _storeLock;
    private readonly RetentionPlanner _planner;
    private readonly PartitionArchiver _archiver;
    private readonly ArchiveVerifier _verifier;
    private readonly IArchiveStore _archives;
    private readonly TrashBin _trash;
    private readonly DayContentsReader _days;
    private readonly ILogger<PruneService> _logger;
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly DownloadManifestVerifier _manifestVerifier;

    /// <summary>Creates the service.</summary>
    internal PruneService(
        StorageLayout layout,
        IFileSystem fileSystem,
        StoreLock storeLock,
        RetentionPlanner planner,
        PartitionArchiver archiver,
        ArchiveVerifier verifier,
        IArchiveStore archives,
        DownloadManifestVerifier manifestVerifier,
        ILogger<PruneService> logger)
    {
        _layout = layout;
        _fileSystem = fileSystem;
        _manifestVerifier = manifestVerifier;
        _archives = archives;
        _storeLock = storeLock;
        _planner = planner;
        _archiver = archiver;
        _verifier = verifier;
        _trash = new TrashBin(layout, fileSystem);
        _days = new DayContentsReader(fileSystem);
        _logger = logger;
    }

    /// <summary>What the retention policy keeps and removes today, and why; changes nothing.</summary>
    public Task<PrunePlan> PlanAsync(CancellationToken cancellationToken = default) => _planner.PlanAsync(cancellationToken);

    /// <summary>
    /// Carries out the removals of <paramref name="plan"/> under the store lock. The store is planned again under
    /// the lock, and only what both plans remove is removed: an entry that changed since (another run removed it,
    /// a day was added that shifts the newest days kept) is left as it is now.
    /// </summary>
    public async Task<PruneResult> ExecuteAsync(PrunePlan plan, IProgress<OperationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var held = await _storeLock.AcquireAsync("prune", cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        cancellationToken = work.Token;
        var storeLeftovers = await _archives.RemoveLeftoversAsync(held, cancellationToken);
        if (storeLeftovers > 0)
        {
            // Said as archive says it: status listed them, and whoever watched them there learns where they went.
            _logger.LogWarning("Removed {Count} unfinished upload(s) or staged object(s) that an earlier run left in {Store}", storeLeftovers, _archives.Location);
        }

        var leftovers = held.LeftoversRemoved + storeLeftovers;
        var approved = plan.Removals.Select(item => (item.Area, item.Path, item.Decision)).ToHashSet();
        // One listing of the archive store serves the fresh plan and the deletions.
        var catalog = await ArchiveCatalog.ReadAsync(_archives, cancellationToken);
        var now = await _planner.PlanAsync(knownSizes: null, catalog, cancellationToken);
        foreach (var warning in now.Warnings)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        var removals = now.Removals.Where(item => approved.Contains((item.Area, item.Path, item.Decision))).ToList();
        var removed = new List<PruneItem>();
        var archived = new List<PartitionDate>();
        var failures = new List<PruneFailure>();
        var verifiedDays = new Dictionary<PartitionDate, VerifiedDay>();
        var unverifiableDays = new Dictionary<PartitionDate, string>();
        var bytesTotal = removals.Sum(item => item.Bytes);
        var bytesDone = 0L;
        for (var i = 0; i < removals.Count; i++)
        {
            // A lost lock stops the deletions at once: another holder may be working on these days now. The lock
            // file is read before each removal rather than trusting the heartbeat, which looks only every few minutes.
            cancellationToken.ThrowIfCancellationRequested();
            held.EnsureHeld();
            var item = removals[i];
            progress?.Report(new OperationProgress("removing", bytesDone, bytesTotal, i, removals.Count, item.Path));
            bytesDone += item.Bytes;
            try
            {
                if (item.Area.IsPartitioned() && await FindInvalidManifestAsync(item.Date, cancellationToken) is { } invalid)
                {
                    failures.Add(new PruneFailure(item, invalid));
                    continue;
                }

                if (item.Decision == PruneDecision.ArchiveThenDelete)
                {
                    if (!verifiedDays.TryGetValue(item.Date, out var verification) && !unverifiableDays.ContainsKey(item.Date))
                    {
                        (verification, var problem) = await EnsureVerifiedArchiveAsync(held, item.Date, catalog, archived, cancellationToken);
                        if (verification is not null)
                        {
                            verifiedDays[item.Date] = verification;
                        }
                        else
                        {
                            unverifiableDays[item.Date] = problem!;
                        }
                    }

                    if (verification is null)
                    {
                        failures.Add(new PruneFailure(item, unverifiableDays[item.Date]));
                        continue;
                    }

                    if (DeleteArchivedDay(item, verification) is { } mismatch)
                    {
                        failures.Add(new PruneFailure(item, mismatch));
                        continue;
                    }

                    removed.Add(item);
                    continue;
                }

                if (item.Area == StorageArea.Archive)
                {
                    // Its index and other files first, the archive last: a kill in between leaves an archive that
                    // the next prune still lists and removes, never a file nothing lists.
                    foreach (var name in catalog.ObjectsOf(item.Date).Select(o => o.Name).OrderBy(name => ArchiveNames.TryParse(name, out _, out var isArchive) && isArchive))
                    {
                        await _archives.DeleteAsync(name, cancellationToken);
                    }
                }
                else
                {
                    // A day folder that cannot be listed could not be deleted either: refused before it enters the
                    // trash, where it would stop every later locked command. Past the archive window a day is
                    // deleted without an archive, but a name .NET cannot address is neither compared nor deleted
                    // through it: the day is kept whole.
                    var contents = item.Area.IsPartitioned() ? _days.Read(item.Path) : null;
                    if (contents is { IsComplete: false })
                    {
                        failures.Add(new PruneFailure(item, $"kept, because {string.Join("; ", contents.Problems)}"));
                        continue;
                    }

                    if (contents?.NonUtf8Names is [var first, ..] names)
                    {
                        failures.Add(new PruneFailure(item, $"kept, because {first}{(names.Count > 1 ? $" (and {names.Count - 1} more)" : string.Empty)} {EntryNames.NotUtf8}"));
                        continue;
                    }

                    _trash.Delete(item.Path);
                }

                removed.Add(item);
            }
            catch (Exception exception) when (exception is not ArchiveStoreUnavailableException
                && exception is IOException or UnauthorizedAccessException or StorageOperationException)
            {
                _logger.LogError("Could not delete {Path}: {Error}", item.Path, exception.Message);
                failures.Add(new PruneFailure(item, exception.Message));
            }
        }

        progress?.Report(new OperationProgress("removing", bytesTotal, bytesTotal, removals.Count, removals.Count));
        return new PruneResult(now, removed, archived, failures, leftovers);
    }

    /// <summary>
    /// Why a day must not be pruned because its download manifest is invalid, or null: damaged data is never let
    /// go of, whether or not an archive of it could be made.
    /// </summary>
    private async Task<string?> FindInvalidManifestAsync(PartitionDate date, CancellationToken cancellationToken)
    {
        var raw = _layout.GetDateDirectory(StorageArea.Raw, date);
        if (!_fileSystem.Directory.Exists(raw))
        {
            return null;
        }

        // A day that cannot be read whole, or holds a name that is not UTF-8, is kept by its own check, which names
        // the folder or the file rather than the manifest.
        var contents = _days.Read(raw);
        if (!contents.IsComplete || contents.NonUtf8Names.Count > 0)
        {
            return null;
        }

        var check = await _manifestVerifier.VerifyAsync(raw, contents, verifyContent: false, cancellationToken);
        return check.Health == ManifestHealth.Invalid
            ? $"kept, because the download manifest of raw/{date} is invalid ({(check.Problems.Count > 0 ? check.Problems[0] : "unreadable")})"
            : null;
    }

    /// <summary>
    /// Moves the day folder into the trash, checks that every file it holds is one the verification compared with
    /// the archive, unchanged since (path, size and modification time as seen just before the verification hashed
    /// it), and only then deletes it. Anything else puts the folder back and returns why. Files the archive holds
    /// that are no longer live are fine: the archive keeps them.
    /// </summary>
    private string? DeleteArchivedDay(PruneItem item, VerifiedDay verified)
    {
        var prefix = $"{item.Area.GetFolderName()}/{item.Date}/";
        var archived = verified.Verification.Files
            .Where(file => file.Path.StartsWith(prefix, StringComparison.Ordinal))
            .Select(file => new FileSetEntry(file.Path[prefix.Length..], file.SizeBytes))
            .ToList();
        var trashed = _trash.MoveToTrash(item.Path);
        DayContents contents;
        try
        {
            contents = _days.Read(trashed);
        }
        catch
        {
            // What cannot be compared is not deleted: the day goes back under its name.
            PutBack(trashed, item.Path);
            throw;
        }

        // Files the archive holds that are no longer live are fine; every live one must be an archived file, of its
        // size, and unchanged since the verification read it.
        var comparison = FileSetComparer.Compare(archived, contents.Files.Select(file => new FileSetEntry(file.Name, file.SizeBytes, Path: file.Path)));
        var notArchived = comparison.Differences
            .Where(difference => difference.Kind != FileDifferenceKind.Missing)
            .Select(difference => difference.Found)
            .Concat(comparison.Same.Select(pair => pair.Actual)
                .Where(file => !verified.LiveBefore.TryGetValue(prefix + file.Name, out var seen) || seen != (file.SizeBytes, _fileSystem.File.GetLastWriteTimeUtc(file.Path!))))
            .Select(file => file.Name)
            .ToHashSet(StringComparer.Ordinal);
        var differences = contents.Problems
            .Concat(contents.Files.Where(file => notArchived.Contains(file.Name)).Select(file => $"{prefix}{file.Name} is not in the verified archive as it is now"))
            .ToList();
        if (differences.Count == 0)
        {
            _trash.DeleteTrashed(trashed);
            return null;
        }

        PutBack(trashed, item.Path);
        _logger.LogError("Kept {Path}: it changed after its archive was verified ({Differences})", item.Path, string.Join("; ", differences));
        return $"kept, because it changed after archive/{ArchiveNames.Archive(item.Date)} was verified: {string.Join("; ", differences)}";
    }

    /// <summary>
    /// The day's archive verified now, or why there is none. A missing archive is made first, and a stale one (live
    /// files newer than it or not in it, or an index that does not describe it) is refreshed first: the refresh
    /// carries over every file only the old archive holds, so a late ETL write never keeps a day forever, nor
    /// costs the raw files an earlier prune already removed.
    /// </summary>
    private async Task<(VerifiedDay? Verified, string? Problem)> EnsureVerifiedArchiveAsync(
        StoreLockHandle held, PartitionDate date, ArchiveCatalog catalog, List<PartitionDate> archived, CancellationToken cancellationToken)
    {
        try
        {
            if (!catalog.ArchivedDays.Contains(date) || (await _archiver.FindStalenessAsync(date, catalog.ObjectsOf(date), cancellationToken)).Count > 0)
            {
                await _archiver.ArchiveAsync(held, date, force: false, progress: null, cancellationToken);
                archived.Add(date);
            }

            // Only a verification that found the live files equal to the archived copies lets a day go: a live
            // file the archive lacks, or one whose bytes differ, keeps the day. What the live files were just before
            // it hashed them is what the deletion holds them to, so a file rewritten after it is kept.
            var liveBefore = _archiver.ReadSources(date)
                .SelectMany(source => source.Contents.Files.Select(file =>
                    (Path: $"{source.RelativeDirectory}/{file.Name}", Seen: (file.SizeBytes, _fileSystem.File.GetLastWriteTimeUtc(file.Path)))))
                .ToDictionary(file => file.Path, file => file.Seen, StringComparer.Ordinal);
            var verification = await _verifier.VerifyAsync(date, cancellationToken);
            var problems = verification.Problems.Concat(verification.Stale).ToList();
            return problems.Count == 0
                ? (new VerifiedDay(verification, liveBefore), null)
                : (null, $"archive of {date} did not verify, so its data is kept: {string.Join("; ", problems)}");
        }
        catch (Exception exception) when (exception is not ArchiveStoreUnavailableException
            && exception is IOException or UnauthorizedAccessException or StorageOperationException or StorageInputException or InvalidDataException)
        {
            _logger.LogError("Archiving {Date} before pruning failed: {Error}", date, exception.Message);
            return (null, $"archiving {date} failed, so its data is kept: {exception.Message}");
        }
    }

    /// <summary>Puts a trashed day back; when its name was taken meanwhile, beside it, and says so.</summary>
    private void PutBack(string trashed, string path)
    {
        if (_trash.Restore(trashed, path) is var kept && kept != path)
        {
            _logger.LogError("Could not put {Path} back under its name, which was taken meanwhile; it is kept as {Kept}", path, kept);
        }
    }

    /// <summary>A day whose archive verified, and its live files as they were just before the verification read them.</summary>
    private sealed record VerifiedDay(ArchiveVerification Verification, IReadOnlyDictionary<string, (long Size, DateTime Modified)> LiveBefore);
}
