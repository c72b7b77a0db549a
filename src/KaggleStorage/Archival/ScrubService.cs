using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Archival;

/// <summary>
/// Reads archives end to end on a rotating schedule, the least recently proven first, with every check
/// <c>verify</c> makes on an archive, and records when each was proven. The reading takes no lock; only the record
/// is written under it. A day pruned or archived again while it is read is skipped, not judged.
/// </summary>
public sealed class ScrubService
{
    private readonly StorageLayout _layout;
    private readonly StoreLock _storeLock;
    private readonly IArchiveStore _store;
    private readonly ArchiveVerifier _verifier;
    private readonly ManifestStore _manifests;
    private readonly ScrubLedger _ledger;
    private readonly TimeProvider _timeProvider;
    private readonly IOptions<ScrubOptions> _options;
    private readonly ILogger<ScrubService> _logger;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal ScrubService(
        StorageLayout layout,
        StoreLock storeLock,
        IArchiveStore store,
        ArchiveVerifier verifier,
        ManifestStore manifests,
        ScrubLedger ledger,
        TimeProvider timeProvider,
        IOptions<ScrubOptions> options,
        ILogger<ScrubService> logger)
    {
        _layout = layout;
        _storeLock = storeLock;
        _store = store;
        _verifier = verifier;
        _manifests = manifests;
        _ledger = ledger;
        _timeProvider = timeProvider;
        _options = options;
        _logger = logger;
    }

    /// <summary>
    /// Chooses the archives to read: the <paramref name="days"/> whose last successful verification is oldest, or,
    /// without it, enough that every archive is read once per <see cref="ScrubOptions.CycleDays"/>
    /// (ceil(archives / CycleDays), or every overdue one when more are). Days whose index points at no archive are
    /// always included: naming them costs no reading.
    /// </summary>
    /// <exception cref="StorageInputException">The store does not exist.</exception>
    public async Task<ScrubPlan> PlanAsync(int? days = null, CancellationToken cancellationToken = default)
    {
        if (days is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(days), days, "A scrub reads at least one archive.");
        }

        _layout.EnsureExists();
        var catalog = await ArchiveCatalog.ReadAsync(_store, cancellationToken);
        var record = await ReadRecordAsync(cancellationToken);
        var cycle = _options.Value.CycleDays;
        var now = _timeProvider.GetUtcNow();
        var missing = new List<PlannedScrub>();
        var candidates = new List<PlannedScrub>();
        foreach (var day in catalog.DaysWithAnything)
        {
            var objects = catalog.ObjectsOf(day);
            var archive = objects.FirstOrDefault(item => item.Name == ArchiveNames.Archive(day));
            if (archive is not { IsFolder: false })
            {
                if (archive is not null || objects.Any(item => item.Name == ArchiveNames.Index(day)))
                {
                    missing.Add(new PlannedScrub(day, _store.Describe(ArchiveNames.Archive(day)), 0, null));
                }

                continue;
            }

            var (_, index) = await ReadIndexAsync(day, cancellationToken);
            var proof = ScrubLedger.ProofOf(record, day, index);
            candidates.Add(new PlannedScrub(day, _store.Describe(archive.Name), archive.SizeBytes, proof.LastPassedAtUtc));
        }

        var overdue = candidates.Count(c => c.LastVerifiedAtUtc is not { } proven || now - proven > TimeSpan.FromDays(cycle));
        var count = days ?? Math.Max((candidates.Count + cycle - 1) / cycle, overdue);
        var selected = candidates
            .OrderBy(c => c.LastVerifiedAtUtc ?? DateTimeOffset.MinValue)
            .ThenBy(c => c.Date)
            .Take(count);
        return new ScrubPlan([.. missing, .. selected], candidates.Count, cycle, overdue);
    }

    /// <summary>
    /// Reads the plan's archives, then records the results under the store lock. A damaged or missing archive is
    /// reported, not thrown; a day that was pruned or archived again while it was read is skipped.
    /// </summary>
    /// <exception cref="StoreLockedException">The record could not be written because the lock stayed held.</exception>
    public async Task<ScrubResult> ExecuteAsync(ScrubPlan plan, IProgress<OperationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var record = await ReadRecordAsync(cancellationToken);
        var outcomes = new List<ScrubOutcome>();
        var readings = new List<ScrubRecordEntry>();
        for (var i = 0; i < plan.Days.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var day = plan.Days[i].Date;
            progress?.Report(new OperationProgress("reading", 0, null, i, plan.Days.Count, day.ToString()));
            var (outcome, reading) = await ReadOneAsync(day, record, cancellationToken);
            outcomes.Add(outcome);
            if (reading is not null)
            {
                readings.Add(reading);
            }

            if (outcome.Failed)
            {
                _logger.LogError("The archive of {Date} failed its scrub: {Problem}", day, outcome.Problems.Count > 0 ? outcome.Problems[0] : null);
            }

            progress?.Report(new OperationProgress("reading", 0, null, i + 1, plan.Days.Count, day.ToString()) { Lines = ScrubWording.Outcome(outcome) });
        }

        // The record is written every run, so its last write (by which retention dates a metadata file without a
        // date in its name) never ages while scrubs run.
        await using (var held = await _storeLock.AcquireAsync("scrub", cancellationToken))
        {
            var catalog = await ArchiveCatalog.ReadAsync(_store, cancellationToken);
            var current = await ReadRecordAsync(cancellationToken);
            await _ledger.WriteAsync(held, current, readings, catalog.DaysWithAnything.ToHashSet(), cancellationToken);
        }

        return new ScrubResult(plan, outcomes, _ledger.RecordPath);
    }

    private async Task<(ScrubOutcome Outcome, ScrubRecordEntry? Reading)> ReadOneAsync(
        PartitionDate day, ScrubRecord record, CancellationToken cancellationToken)
    {
        var archivePath = _store.Describe(ArchiveNames.Archive(day));
        var indexPath = _store.Describe(ArchiveNames.Index(day));
        ScrubOutcome Skip(string why) => new(day, ScrubStatus.Skipped, archivePath, indexPath, 0, [why], _timeProvider.GetUtcNow());

        if (await _store.GetInfoAsync(ArchiveNames.PendingIndex(day), cancellationToken) is not null)
        {
            return (Skip("a replace of this archive is under way or was stopped, so its index is not trusted; the next archive run repairs it"), null);
        }

        var before = await ReadIndexAsync(day, cancellationToken);
        var archiveBefore = await _store.GetInfoAsync(ArchiveNames.Archive(day), cancellationToken);
        IReadOnlyList<string> problems;
        var entries = 0;
        try
        {
            var verification = await _verifier.VerifyAsync(day, cancellationToken);
            (problems, entries) = (verification.Problems, verification.EntriesChecked);
        }
        catch (StorageNotFoundException)
        {
            return (Skip("neither its archive nor its index is there any more: it was pruned since the scrub was planned"), null);
        }
        catch (Exception exception) when (ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            problems = [$"the archive could not be read: {exception.Message.TrimEnd('.')}"];
        }

        // What was read is judged only if it is still the day's archive: prune removes the index first, and a
        // new archive comes with a new index, so an unchanged index and archive mean nobody touched the pair.
        var after = await ReadIndexAsync(day, cancellationToken);
        var archiveAfter = await _store.GetInfoAsync(ArchiveNames.Archive(day), cancellationToken);
        if (before.Readable != after.Readable
            || !string.Equals(before.Index?.ArchiveSha256, after.Index?.ArchiveSha256, StringComparison.Ordinal)
            || before.Index?.CreatedAtUtc != after.Index?.CreatedAtUtc
            || (archiveBefore is null) != (archiveAfter is null)
            || await _store.GetInfoAsync(ArchiveNames.PendingIndex(day), cancellationToken) is not null)
        {
            return (Skip("it was pruned or archived again while it was read"), null);
        }

        var now = _timeProvider.GetUtcNow();
        var passed = problems.Count == 0;
        var status = passed ? ScrubStatus.Sound : archiveAfter is not { IsFolder: false } ? ScrubStatus.Missing : ScrubStatus.Damaged;
        var reading = new ScrubRecordEntry(
            day,
            before.Index?.ArchiveSha256,
            before.Index?.CreatedAtUtc,
            now,
            passed,
            passed ? now : ScrubLedger.ProofOf(record, day, before.Index).LastPassedAtUtc,
            problems);
        return (new ScrubOutcome(day, status, archivePath, indexPath, entries, problems, now), reading);
    }

    private async Task<(bool Readable, ArchiveIndex? Index)> ReadIndexAsync(PartitionDate day, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await _store.TryReadIndexAsync(_manifests, day, cancellationToken));
        }
        catch (Exception exception) when (exception is ManifestFormatException || ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            return (false, null);
        }
    }

    private async Task<ScrubRecord> ReadRecordAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await _ledger.ReadAsync(cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            // The record only says when archives were proven; without it each archive's creation is its proof, and
            // this scrub writes a sound record again.
            _logger.LogWarning("The scrub record does not read ({Problem}); starting from each archive's creation", exception.Message);
            return new ScrubRecord { Archives = [] };
        }
    }
}
