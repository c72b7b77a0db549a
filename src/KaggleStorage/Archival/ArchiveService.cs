using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Archival;

/// <summary>
/// Archives a selection of days under the store lock. Each day stands alone: one that fails is reported and the
/// others still run.
/// </summary>
public sealed class ArchiveService
{
    private const string Archiving = "archiving";

    private readonly StorageLayout _layout;
    private readonly StoreCalendar _calendar;
    private readonly StoreLock _storeLock;
    private readonly PartitionArchiver _archiver;
    private readonly IArchiveStore _store;
    private readonly ILogger<ArchiveService> _logger;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal ArchiveService(
        StorageLayout layout,
        StoreCalendar calendar,
        StoreLock storeLock,
        PartitionArchiver archiver,
        IArchiveStore store,
        ILogger<ArchiveService> logger)
    {
        _layout = layout;
        _calendar = calendar;
        _storeLock = storeLock;
        _archiver = archiver;
        _store = store;
        _logger = logger;
    }

    /// <summary>
    /// Resolves a selection to days, oldest first: listed days as they are; otherwise every day with live data that
    /// has no archive or whose archive is stale (live files newer than it or not in it, or an index that does not
    /// describe it), so a late ETL write is archived by the next <c>--older-than</c> or <c>--all</c> run.
    /// </summary>
    /// <exception cref="StorageInputException">The store does not exist, or a listed day has neither raw nor processed data nor an archive.</exception>
    private async Task<IReadOnlyList<PartitionDate>> SelectAsync(ArchiveSelection selection, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selection);
        _layout.EnsureExists();
        var catalog = await ArchiveCatalog.ReadAsync(_store, cancellationToken);
        var archived = catalog.ArchivedDays.ToHashSet();
        if (selection.Dates.Count > 0)
        {
            var missing = selection.Dates.Where(date => _archiver.GetSourceDirectories(date).Count == 0 && !archived.Contains(date)).ToList();
            return missing.Count == 0
                ? selection.Dates
                : throw new StorageNotFoundException(
                    $"Nothing to archive for {string.Join(", ", missing)}: neither raw/ nor processed/ has that day, and it has no archive.");
        }

        var today = _calendar.Today;
        var selected = new List<PartitionDate>();
        var candidates = StorageAreas.Partitioned
            .SelectMany(area => _layout.ListPartitions(area).Dates)
            .Distinct()
            .Where(date => selection.OlderThanDays is not { } days || today.DaysSince(date) > days)
            .Order();
        foreach (var date in candidates)
        {
            if (!archived.Contains(date))
            {
                selected.Add(date);
                continue;
            }

            if (await _archiver.FindStalenessAsync(date, catalog.ObjectsOf(date), cancellationToken) is { Count: > 0 } reasons)
            {
                _logger.LogInformation("The archive of {Date} is stale ({Reason}); it is refreshed", date, reasons[0]);
                selected.Add(date);
            }
        }

        return selected;
    }

    /// <summary>
    /// What archiving the listed days would do; changes nothing. Each is archived even when it has an archive (an
    /// identical one is left alone).
    /// </summary>
    /// <exception cref="ArgumentException">No day is listed.</exception>
    /// <exception cref="StorageNotFoundException">A listed day has neither raw nor processed data nor an archive.</exception>
    public Task<ArchivePlan> PlanAsync(IEnumerable<PartitionDate> days, CancellationToken cancellationToken = default) =>
        PlanAsync(ArchiveSelection.ForDates(days ?? throw new ArgumentNullException(nameof(days))), cancellationToken);

    /// <summary>
    /// What archiving every day that has no archive or a stale one would do; changes nothing. The days are chosen
    /// again under the store lock when the plan is executed.
    /// </summary>
    /// <param name="olderThanDays">Only days older than this many days; null for every such day.</param>
    /// <param name="cancellationToken">Stops the listing.</param>
    public Task<ArchivePlan> PlanUnarchivedAsync(int? olderThanDays = null, CancellationToken cancellationToken = default) =>
        PlanAsync(olderThanDays is { } days ? ArchiveSelection.OlderThan(days) : ArchiveSelection.All(), cancellationToken);

    private async Task<ArchivePlan> PlanAsync(ArchiveSelection selection, CancellationToken cancellationToken) =>
        new((await SelectAsync(selection, cancellationToken))
            .Select(date => new PlannedArchive(date, _archiver.DescribeArchive(date), SourceBytes(date)))
            .ToList())
        {
            Selection = selection,
        };

    /// <summary>
    /// Archives the plan's days under the store lock. A plan made by <see cref="PlanUnarchivedAsync"/> is made
    /// again under the lock, and a planned day that no longer needs archiving (pruned,
    /// or archived by another run since) is skipped. Each day stands alone: one that fails (its manifest is invalid,
    /// it conflicts with its archive without <paramref name="force"/>, the disk is full) is reported and the others
    /// still run.
    /// </summary>
    /// <param name="plan">The days to archive.</param>
    /// <param name="force">
    /// Let live files win over archived copies that differ without being newer; otherwise such a day fails,
    /// unchanged. Files only in the old archive are carried over either way.
    /// </param>
    /// <param name="progress">
    /// Stage <c>archiving</c>: the bytes of the day being read (<see cref="OperationProgress.Current"/>), days as files.
    /// Each day, once done, is told in <see cref="OperationProgress.Lines"/>, or in <see cref="OperationProgress.Errors"/>
    /// when it failed.
    /// </param>
    /// <param name="cancellationToken">Stops the run; days already archived stay archived.</param>
    public async Task<ArchiveRunResult> ExecuteAsync(
        ArchivePlan plan,
        bool force = false,
        IProgress<OperationProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        await using var held = await _storeLock.AcquireAsync("archive", cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        cancellationToken = work.Token;
        if (await _store.RemoveLeftoversAsync(held, cancellationToken) is > 0 and var removed)
        {
            _logger.LogWarning("Removed {Count} unfinished upload(s) or staged object(s) that an earlier run left in {Store}", removed, _store.Location);
        }

        // What was true when the plan was made may not be now: another run may have pruned or archived a day.
        HashSet<PartitionDate>? stillNeeded = plan.Selection is { Dates.Count: 0 } selection
            ? (await SelectAsync(selection, cancellationToken)).ToHashSet()
            : null;
        var outcomes = new List<ArchiveOutcome>();
        for (var i = 0; i < plan.Days.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var date = plan.Days[i].Date;
            var total = SourceBytes(date);
            var done = i;
            var dayProgress = progress is null ? null : new CallbackProgress<long>(read => progress.Report(new OperationProgress(Archiving, read, total, done, plan.Days.Count, date.ToString())));
            if (stillNeeded is not null && !stillNeeded.Contains(date))
            {
                _logger.LogInformation("Skipped {Date}: it no longer needs archiving", date);
                outcomes.Add(new ArchiveOutcome(date, ArchiveStatus.Skipped, _archiver.DescribeArchive(date), total, 0, 0,
                    "it no longer needs archiving (pruned, or archived by another run, since the plan was made)"));
            }
            else
            {
                try
                {
                    outcomes.Add(await _archiver.ArchiveAsync(held, date, force, dayProgress, cancellationToken));
                }
                catch (Exception exception) when (exception is not ArchiveStoreUnavailableException
                    and (IOException or UnauthorizedAccessException or StorageOperationException or StorageInputException or InvalidDataException))
                {
                    _logger.LogError("Archiving {Date} failed: {Error}", date, exception.Message);
                    outcomes.Add(new ArchiveOutcome(date, ArchiveStatus.Failed, _archiver.DescribeArchive(date), total, 0, 0, exception.Message));
                }
            }

            var outcome = outcomes[^1];
            var told = new[] { ArchiveWording.Outcome(outcome) };
            progress?.Report(new OperationProgress(Archiving, total, total, i + 1, plan.Days.Count, date.ToString())
            {
                Lines = outcome.Failed ? [] : told,
                Errors = outcome.Failed ? told : [],
            });
        }

        return new ArchiveRunResult(outcomes);
    }

    private long SourceBytes(PartitionDate date) =>
        _archiver.ReadSources(date).Sum(source => source.Contents.TotalBytes);
}
