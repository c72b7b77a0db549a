using KaggleStorage.Layout;
using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.IO;
using KaggleStorage.Kaggle;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Retention;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Status;

/// <summary>
/// Builds a <see cref="StoreStatus"/>: one directory walk per area for sizes, and a size-level manifest check per
/// raw day (hashes are left to <c>verify</c>, so status stays fast on thousands of partitions).
/// </summary>
public sealed class StoreStatusScanner
{
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly DownloadManifestVerifier _manifestVerifier;
    private readonly StoreLock _storeLock;
    private readonly RetentionPlanner _retentionPlanner;
    private readonly StoreCalendar _calendar;
    private readonly IOptions<RetentionOptions> _retention;
    private readonly IOptions<HealthOptions> _health;
    private readonly IArchiveStore _archiveStore;
    private readonly CapacityForecaster _forecaster;
    private readonly DayContentsReader _days;
    private readonly PartitionArchiver _archiver;
    private readonly ScrubLedger _ledger;
    private readonly ManifestStore _manifests;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal StoreStatusScanner(
        StorageLayout layout,
        IFileSystem fileSystem,
        DownloadManifestVerifier manifestVerifier,
        StoreLock storeLock,
        RetentionPlanner retentionPlanner,
        StoreCalendar calendar,
        IOptions<RetentionOptions> retention,
        IOptions<HealthOptions> health,
        IArchiveStore archiveStore,
        PartitionArchiver archiver,
        ScrubLedger ledger,
        ManifestStore manifests)
    {
        _archiver = archiver;
        _ledger = ledger;
        _manifests = manifests;
        _layout = layout;
        _fileSystem = fileSystem;
        _manifestVerifier = manifestVerifier;
        _storeLock = storeLock;
        _retentionPlanner = retentionPlanner;
        _calendar = calendar;
        _retention = retention;
        _health = health;
        _archiveStore = archiveStore;
        _forecaster = new CapacityForecaster(layout, fileSystem, calendar, retention);
        _days = new DayContentsReader(fileSystem);
    }

    /// <summary>Scans the store.</summary>
    /// <exception cref="Errors.StorageInputException">The store root does not exist.</exception>
    public async Task<StoreStatus> ScanAsync(CancellationToken cancellationToken = default)
    {
        _layout.EnsureExists();
        var areas = new List<AreaStatus>();
        var bytesByDay = new Dictionary<(StorageArea, PartitionDate), long>();
        var listings = new Dictionary<StorageArea, PartitionListing>();
        var days = new Dictionary<(StorageArea, PartitionDate), DayContents>();
        var catalog = await ArchiveCatalog.ReadAsync(_archiveStore, cancellationToken);
        foreach (var area in StorageAreas.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (area == StorageArea.Archive)
            {
                // Archives are counted where they are, on the volume or in a bucket, from one listing of the store.
                listings[area] = new PartitionListing(area, catalog.ArchivedDays, catalog.UnknownEntries);
                foreach (var day in catalog.DaysWithAnything)
                {
                    bytesByDay[(area, day)] = catalog.BytesOf(day);
                }

                areas.Add(new AreaStatus(
                    area,
                    await _archiveStore.ExistsAsync(cancellationToken),
                    catalog.ArchivedDays.Count,
                    catalog.ObjectCount,
                    catalog.TotalBytes));
                continue;
            }

            var path = _layout.GetAreaPath(area);
            var exists = _fileSystem.Directory.Exists(path);
            if (area.IsPartitioned())
            {
                // Each day is read once, and that one reading serves the sizes, the manifest check and the prune
                // preview: on thousands of days a second walk of raw/ is what makes status slow.
                var listing = listings[area] = _layout.ListPartitions(area);
                long files = 0, bytes = 0;
                foreach (var day in listing.Dates)
                {
                    var contents = days[(area, day)] = _days.Read(_layout.GetDateDirectory(area, day));
                    bytesByDay[(area, day)] = contents.TotalBytes;
                    (files, bytes) = (files + contents.Files.Count, bytes + contents.TotalBytes);
                }

                var (strayFiles, strayBytes) = exists ? SumOutsideDays(path) : (0, 0);
                areas.Add(new AreaStatus(area, exists, listing.Dates.Count, files + strayFiles, bytes + strayBytes));
            }
            else
            {
                var (files, bytes) = exists ? SumFiles(path) : (0, 0);
                areas.Add(new AreaStatus(area, exists, 0, files, bytes));
            }
        }

        var raw = listings[StorageArea.Raw].Dates.ToHashSet();
        var processed = listings[StorageArea.Processed].Dates.ToHashSet();
        var archived = listings[StorageArea.Archive].Dates.ToHashSet();
        var allDays = raw.Concat(processed).Concat(archived).Distinct().Order().ToList();

        var (record, recordProblem) = await ReadScrubRecordAsync(cancellationToken);
        var partitions = new List<PartitionStatus>(allDays.Count);
        foreach (var day in allDays)
        {
            var proof = archived.Contains(day) ? ScrubLedger.ProofOf(record, day, await TryReadIndexAsync(day, cancellationToken)) : null;
            ManifestCheck? check = null;
            if (raw.Contains(day))
            {
                check = await _manifestVerifier.VerifyAsync(
                    _layout.GetDateDirectory(StorageArea.Raw, day), days[(StorageArea.Raw, day)], verifyContent: false, cancellationToken);
            }

            // Only a day with live data can be ahead of its archive.
            IReadOnlyList<string> stale = archived.Contains(day) && (raw.Contains(day) || processed.Contains(day))
                ? await _archiver.FindStalenessAsync(day, catalog.ObjectsOf(day), cancellationToken)
                : [];
            partitions.Add(new PartitionStatus(
                day,
                raw.Contains(day),
                processed.Contains(day),
                archived.Contains(day),
                bytesByDay.GetValueOrDefault((StorageArea.Raw, day)),
                bytesByDay.GetValueOrDefault((StorageArea.Processed, day)),
                bytesByDay.GetValueOrDefault((StorageArea.Archive, day)),
                check?.Health,
                check?.Problems ?? [])
            {
                ArchiveStale = stale,
                ArchiveVerifiedAtUtc = proof?.LastPassedAtUtc,
                ArchiveScrubFailed = proof?.Failed ?? false,
                ArchiveScrubProblems = proof?.Problems ?? [],
                Problems = [.. ProblemsOf(days, StorageArea.Raw, day), .. ProblemsOf(days, StorageArea.Processed, day)],
            });
        }

        // A day the download checked and found unchanged is covered: the data of that day is the newest raw day's.
        var checkedDays = DownloadCheckFolder.List(_layout, _fileSystem).ToHashSet();
        var missing = new List<PartitionDate>();
        for (var i = 1; i < allDays.Count; i++)
        {
            for (var day = allDays[i - 1].AddDays(1); day < allDays[i]; day = day.AddDays(1))
            {
                if (!checkedDays.Contains(day))
                {
                    missing.Add(day);
                }
            }
        }

        var unknown = listings.Values.SelectMany(listing => listing.UnknownEntries).Order(StringComparer.Ordinal).ToList();
        var prunePlan = await _retentionPlanner.PlanAsync(bytesByDay, catalog, cancellationToken);
        var lockStatus = _storeLock.GetStatus();

        // While a live holder works, what the archive store has staged is its own work, not a leftover.
        IReadOnlyList<LeftoverEntry> storeLeftovers = lockStatus.State == LockState.Held ? [] : await _archiveStore.ListLeftoversAsync(cancellationToken);
        var status = new StoreStatus(
            _layout.Root,
            areas.TrueForAll(area => area.Exists),
            areas,
            partitions,
            missing,
            unknown,
            lockStatus.ToStatus(),
            AreaPrunePreview.From(prunePlan),
            [.. _storeLock.ListLeftovers(), .. storeLeftovers])
        {
            ArchiveStore = _archiveStore.Kind,
            ArchiveLocation = _archiveStore.Location,
            ArchivesOnStoreVolume = _archiveStore.IsOnStoreVolume,
        };
        var capacity = _forecaster.Forecast(status);
        return status with
        {
            Capacity = capacity,
            HealthProblems = [.. FindHealthProblems(status, capacity), .. FindUnprovenArchives(status, recordProblem), .. FindDaysPruneKeeps(prunePlan, status)],
        };
    }

    /// <summary>Archives whose last scrub failed, and archives not proven whole within MaxUnverifiedDays.</summary>
    private IEnumerable<string> FindUnprovenArchives(StoreStatus status, string? recordProblem)
    {
        if (recordProblem is not null)
        {
            yield return recordProblem;
        }

        var maxDays = _health.Value.MaxUnverifiedDays;
        foreach (var day in status.Partitions.Where(p => p.Archived))
        {
            if (day.ArchiveScrubFailed)
            {
                yield return $"{day.Date}: the archive {_archiveStore.Describe(ArchiveNames.Archive(day.Date))} failed its last scrub ({(day.ArchiveScrubProblems.Count > 0 ? day.ArchiveScrubProblems[0] : "damaged")}); archive the day again, or restore it from elsewhere";
            }
            else if (day.ArchiveVerifiedAtUtc is { } proven && _calendar.AgeInDays(_calendar.ToPartitionDate(proven)) is var age && age > maxDays)
            {
                yield return $"{day.Date}: the archive was last verified on {_calendar.ToPartitionDate(proven)}, {Quantity.Of(age, "day")} ago, more than KaggleStorage:Health:MaxUnverifiedDays ({maxDays}); run scrub";
            }
        }
    }

    private async Task<(ScrubRecord Record, string? Problem)> ReadScrubRecordAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _ledger.ReadAsync(cancellationToken), null);
        }
        catch (ManifestFormatException exception)
        {
            return (new ScrubRecord { Archives = [] }, $"the scrub record does not read ({exception.Message.TrimEnd('.')}); the next scrub rewrites it");
        }
    }

    private async Task<ArchiveIndex?> TryReadIndexAsync(PartitionDate day, CancellationToken cancellationToken)
    {
        try
        {
            return await _archiveStore.TryReadIndexAsync(_manifests, day, cancellationToken);
        }
        catch (Exception exception) when (exception is ManifestFormatException || ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            // An index that does not read is named by the staleness of its day; it proves nothing here.
            return null;
        }
    }

    private List<string> FindHealthProblems(StoreStatus status, CapacityForecast capacity)
    {
        var problems = new List<string>();
        var maxAge = _health.Value.MaxRawAgeDays;
        var newestRaw = status.Partitions.LastOrDefault(p => p.HasRaw)?.Date;
        var newestCheck = DownloadCheckFolder.List(_layout, _fileSystem).Cast<PartitionDate?>().LastOrDefault();
        var newest = newestCheck > newestRaw ? newestCheck : newestRaw;
        if (newest is not { } fresh)
        {
            problems.Add("there is no raw day yet");
        }
        else if (_calendar.AgeInDays(fresh) > maxAge)
        {
            problems.Add($"the newest raw day (or day the download found the dataset unchanged) is {fresh}, {Quantity.Of(_calendar.AgeInDays(fresh), "day")} old, more than KaggleStorage:Health:MaxRawAgeDays ({maxAge})");
        }

        foreach (var day in status.Partitions)
        {
            // What a day holds that the store refuses (a folder that cannot be read, a link, a fifo, a name that is
            // not UTF-8) is named once per entry, for raw and processed days alike; the manifest is called invalid
            // here only for what else is wrong with it.
            problems.AddRange(day.Problems.Select(problem => $"{day.Date}: {problem}"));
            var others = day.ManifestProblems.Except(day.Problems, StringComparer.Ordinal).ToList();
            if (day.Manifest == ManifestHealth.Invalid && (others.Count > 0 || day.ManifestProblems.Count == 0))
            {
                problems.Add($"raw/{day.Date}: its manifest is invalid ({(others.Count > 0 ? others[0] : "unreadable")})");
            }
        }

        problems.AddRange(status.Leftovers
            .Where(entry => entry.PutBackTo is not null)
            .Select(entry => $"{entry.PutBackTo} is set aside at {entry.Path} by a replace that was stopped; the next locked command puts it back"));
        if (status.Lock.State == "stale")
        {
            problems.Add($"the store lock is stale: {status.Lock.Reason}");
        }

        if (capacity.Warning is { } warning)
        {
            problems.Add(warning);
        }

        return problems;
    }

    /// <summary>
    /// Days past retention that prune cannot let go of because the download manifest of the day is invalid: prune
    /// keeps such a day every night and says so; the check says so before. (A day that cannot be read, or holds a
    /// link, fifo, socket or device, is named by its own line.)
    /// </summary>
    private static IEnumerable<string> FindDaysPruneKeeps(Retention.PrunePlan plan, StoreStatus status)
    {
        var invalid = status.Partitions.Where(p => p.Manifest == ManifestHealth.Invalid).Select(p => p.Date).ToHashSet();
        return plan.Removals
            .Where(item => item.Area.IsPartitioned() && invalid.Contains(item.Date))
            .Select(item => $"{item.Area.GetFolderName()}/{item.Date} is past retention, but prune keeps it: the download manifest of raw/{item.Date} is invalid");
    }

    private static IReadOnlyList<string> ProblemsOf(
        Dictionary<(StorageArea, PartitionDate), DayContents> days, StorageArea area, PartitionDate day) =>
        days.TryGetValue((area, day), out var contents) ? contents.Problems : [];

    /// <summary>Files of an area that lie outside its day folders (stray files, folders that are not days).</summary>
    private (long Files, long Bytes) SumOutsideDays(string areaPath)
    {
        long files = 0, bytes = 0;
        foreach (var entry in _fileSystem.DirectoryInfo.New(areaPath).EnumerateFileSystemInfos())
        {
            if (entry is IFileInfo file)
            {
                // A name that is not UTF-8 is listed under a decoded name that does not exist: no size to count.
                (files, bytes) = (files + 1, bytes + (file.Exists ? file.Length : 0));
            }
            else if (!PartitionDate.TryParse(entry.Name, out _))
            {
                var (inFiles, inBytes) = SumFiles(entry.FullName);
                (files, bytes) = (files + inFiles, bytes + inBytes);
            }
        }

        return (files, bytes);
    }

    private (long Files, long Bytes) SumFiles(string folder)
    {
        // Hidden names count: the store keeps no working files inside its areas, so they are data. Read like a day
        // (by name bytes, links not followed), so a name that is not UTF-8 cannot make status fail.
        var contents = _days.Read(folder);
        return (contents.Files.Count, contents.TotalBytes);
    }
}
