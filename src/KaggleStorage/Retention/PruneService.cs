using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Retention;

/// <summary>
/// Applies the retention policy under the store lock: finishes what an interrupted prune left in the trash,
/// plans, and removes. A raw or processed day past retention is deleted only once its archive is verified (made
/// first when missing); when that fails the day is kept and reported. Every deletion is a rename into
/// <c>.trash/</c> first, so a kill at any moment leaves each entry whole or in the trash.
/// </summary>
public sealed class PruneService
{
    private readonly StoreLock _storeLock;
    private readonly RetentionPlanner _planner;
    private readonly PartitionArchiver _archiver;
    private readonly ArchiveVerifier _verifier;
    private readonly TrashBin _trash;
    private readonly ILogger<PruneService> _logger;

    /// <summary>Creates the service.</summary>
    public PruneService(
        StorageLayout layout,
        IFileSystem fileSystem,
        StoreLock storeLock,
        RetentionPlanner planner,
        PartitionArchiver archiver,
        ArchiveVerifier verifier,
        ILogger<PruneService> logger)
    {
        _storeLock = storeLock;
        _planner = planner;
        _archiver = archiver;
        _verifier = verifier;
        _trash = new TrashBin(layout, fileSystem);
        _logger = logger;
    }

    /// <summary>Prunes the store, or with <paramref name="dryRun"/> returns the plan and changes nothing.</summary>
    public async Task<PruneResult> PruneAsync(bool dryRun, IProgress<PruneProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        if (dryRun)
        {
            return new PruneResult(true, _planner.Plan(), [], [], [], 0);
        }

        await using var held = await _storeLock.AcquireAsync("prune", cancellationToken);
        var leftovers = _trash.Empty();
        var plan = _planner.Plan();
        foreach (var warning in plan.Warnings)
        {
            _logger.LogWarning("{Warning}", warning);
        }

        var removals = plan.Removals.ToList();
        var removed = new List<PruneItem>();
        var archived = new List<PartitionDate>();
        var failures = new List<PruneFailure>();
        var verifiedDays = new HashSet<PartitionDate>();
        var unverifiableDays = new Dictionary<PartitionDate, string>();
        for (var i = 0; i < removals.Count; i++)
        {
            var item = removals[i];
            progress?.Report(new PruneProgress(i, removals.Count, item.Path));
            try
            {
                if (item.Decision == PruneDecision.ArchiveThenDelete && !verifiedDays.Contains(item.Date))
                {
                    if (!unverifiableDays.TryGetValue(item.Date, out var problem))
                    {
                        problem = await EnsureVerifiedArchiveAsync(item.Date, archived, cancellationToken);
                    }

                    if (problem is not null)
                    {
                        unverifiableDays[item.Date] = problem;
                        failures.Add(new PruneFailure(item, problem));
                        continue;
                    }

                    verifiedDays.Add(item.Date);
                }

                foreach (var path in item.Area == StorageArea.Archive ? _planner.ArchiveCompanions(item.Path).ToList() : [item.Path])
                {
                    _trash.Delete(path);
                }

                removed.Add(item);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                _logger.LogError("Could not delete {Path}: {Error}", item.Path, exception.Message);
                failures.Add(new PruneFailure(item, exception.Message));
            }
        }

        progress?.Report(new PruneProgress(removals.Count, removals.Count, string.Empty));
        return new PruneResult(false, plan, removed, archived, failures, leftovers);
    }

    /// <summary>Returns null when the day has a verified archive (archiving it first if needed), else why not.</summary>
    private async Task<string?> EnsureVerifiedArchiveAsync(PartitionDate date, List<PartitionDate> archived, CancellationToken cancellationToken)
    {
        try
        {
            // An existing archive is trusted only through verification, which also fails when a live file is
            // missing from it; re-archiving instead would drop what an earlier prune already removed.
            if (!_archiver.HasArchive(date))
            {
                await _archiver.ArchiveAsync(date, force: false, progress: null, cancellationToken);
                archived.Add(date);
            }

            var verification = await _verifier.VerifyAsync(date, cancellationToken);
            return verification.IsValid
                ? null
                : $"archive of {date} did not verify, so its data is kept: {string.Join("; ", verification.Problems)}";
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or StorageOperationException
            or StorageInputException or InvalidDataException)
        {
            _logger.LogError("Archiving {Date} before pruning failed: {Error}", date, exception.Message);
            return $"archiving {date} failed, so its data is kept: {exception.Message}";
        }
    }
}
