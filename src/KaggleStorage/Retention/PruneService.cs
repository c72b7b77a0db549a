using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Retention;

/// <summary>
/// Applies the retention policy under the store lock (whose acquisition finishes what an interrupted prune left in
/// the trash), plans, and removes. A raw or processed day past retention is deleted only once an archive of it was
/// verified in this run (made first when missing), and only when the files it removes equal, path for path and
/// size, the files that verification read and hashed; otherwise the day is kept and reported. Every deletion is a
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

    /// <summary>Creates the service.</summary>
    internal PruneService(
        StorageLayout layout,
        IFileSystem fileSystem,
        StoreLock storeLock,
        RetentionPlanner planner,
        PartitionArchiver archiver,
        ArchiveVerifier verifier,
        IArchiveStore archives,
        ILogger<PruneService> logger)
    {
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
    public async Task<PruneResult> ExecuteAsync(PrunePlan plan, IProgress<PruneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var held = await _storeLock.AcquireAsync("prune", cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        cancellationToken = work.Token;
        var leftovers = held.LeftoversRemoved + await _archives.RemoveLeftoversAsync(held, cancellationToken);
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
        var verifiedDays = new Dictionary<PartitionDate, ArchiveVerification>();
        var unverifiableDays = new Dictionary<PartitionDate, string>();
        for (var i = 0; i < removals.Count; i++)
        {
            var item = removals[i];
            progress?.Report(new PruneProgress(i, removals.Count, item.Path));
            try
            {
                if (item.Decision == PruneDecision.ArchiveThenDelete)
                {
                    if (!verifiedDays.TryGetValue(item.Date, out var verification) && !unverifiableDays.ContainsKey(item.Date))
                    {
                        (verification, var problem) = await EnsureVerifiedArchiveAsync(held, item.Date, archived, cancellationToken);
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
                    if (item.Area.IsPartitioned() && _days.Read(item.Path).NonUtf8Names is [var first, ..] names)
                    {
                        // Past the archive window a day is deleted without an archive, but a name .NET cannot address
                        // is neither compared nor deleted through it: the day is kept whole.
                        failures.Add(new PruneFailure(item, $"kept, because {first}{(names.Count > 1 ? $" (and {names.Count - 1} more)" : string.Empty)} {EntryNames.NotUtf8}"));
                        continue;
                    }

                    _trash.Delete(item.Path);
                }

                removed.Add(item);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StorageOperationException)
            {
                _logger.LogError("Could not delete {Path}: {Error}", item.Path, exception.Message);
                failures.Add(new PruneFailure(item, exception.Message));
            }
        }

        progress?.Report(new PruneProgress(removals.Count, removals.Count, string.Empty));
        return new PruneResult(now, removed, archived, failures, leftovers);
    }

    /// <summary>
    /// Moves the day folder into the trash, checks that it holds exactly the files of the verified archive (path and
    /// size; their content was hashed against the archive by the verification), and only then deletes it. Anything
    /// else puts the folder back and returns why.
    /// </summary>
    private string? DeleteArchivedDay(PruneItem item, ArchiveVerification verification)
    {
        var prefix = $"{item.Area.GetFolderName()}/{item.Date}/";
        var expected = verification.Files
            .Where(file => file.Path.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(file => file.Path[prefix.Length..], file => file.SizeBytes, StringComparer.Ordinal);
        var trashed = _trash.MoveToTrash(item.Path);
        DayContents contents;
        try
        {
            contents = _days.Read(trashed);
        }
        catch
        {
            // What cannot be compared is not deleted: the day goes back under its name.
            _trash.Restore(trashed, item.Path);
            throw;
        }

        var differences = contents.Problems
            .Concat(contents.Files.Where(file => !expected.TryGetValue(file.Name, out var size) || size != file.SizeBytes)
                .Select(file => $"{prefix}{file.Name} is not in the verified archive as it is now"))
            .Concat(expected.Keys.Except(contents.Files.Select(file => file.Name), StringComparer.Ordinal)
                .Select(name => $"{prefix}{name} is archived but was gone before the deletion"))
            .ToList();
        if (differences.Count == 0)
        {
            _trash.DeleteTrashed(trashed);
            return null;
        }

        _trash.Restore(trashed, item.Path);
        _logger.LogError("Kept {Path}: it changed after its archive was verified ({Differences})", item.Path, string.Join("; ", differences));
        return $"kept, because it changed after archive/{item.Date}{StorageLayout.ArchiveExtension} was verified: {string.Join("; ", differences)}";
    }

    /// <summary>The day's archive verified now (archiving it first if needed), or why there is none.</summary>
    private async Task<(ArchiveVerification? Verification, string? Problem)> EnsureVerifiedArchiveAsync(
        StoreLockHandle held, PartitionDate date, List<PartitionDate> archived, CancellationToken cancellationToken)
    {
        try
        {
            // An existing archive is trusted only through verification, which also fails when a live file is
            // missing from it; re-archiving instead would drop what an earlier prune already removed.
            if (!await _archiver.HasArchiveAsync(date, cancellationToken))
            {
                await _archiver.ArchiveAsync(held, date, force: false, progress: null, cancellationToken);
                archived.Add(date);
            }

            var verification = await _verifier.VerifyAsync(date, cancellationToken);
            return verification.IsValid
                ? (verification, null)
                : (null, $"archive of {date} did not verify, so its data is kept: {string.Join("; ", verification.Problems)}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StorageOperationException
            or StorageInputException or InvalidDataException)
        {
            _logger.LogError("Archiving {Date} before pruning failed: {Error}", date, exception.Message);
            return (null, $"archiving {date} failed, so its data is kept: {exception.Message}");
        }
    }
}
