using KaggleStorage.Layout;
using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.IO;
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
        IArchiveStore archiveStore)
    {
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
    public async Task<StoreStatus> ScanAsync(CancellationToken cancellationToken = default)
    {
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
                    _archiveStore.Kind != ArchiveStoreKind.FileSystem || _fileSystem.Directory.Exists(_layout.GetAreaPath(area)),
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

        var partitions = new List<PartitionStatus>(allDays.Count);
        foreach (var day in allDays)
        {
            ManifestCheck? check = null;
            if (raw.Contains(day))
            {
                check = await _manifestVerifier.VerifyAsync(
                    _layout.GetDateDirectory(StorageArea.Raw, day), days[(StorageArea.Raw, day)], verifyContent: false, cancellationToken);
            }

            partitions.Add(new PartitionStatus(
                day,
                raw.Contains(day),
                processed.Contains(day),
                archived.Contains(day),
                bytesByDay.GetValueOrDefault((StorageArea.Raw, day)),
                bytesByDay.GetValueOrDefault((StorageArea.Processed, day)),
                bytesByDay.GetValueOrDefault((StorageArea.Archive, day)),
                check?.Health,
                check?.Problems ?? []));
        }

        // A day the download checked and found unchanged is covered: the data of that day is the newest raw day's.
        var checkedDays = _layout.ListDownloadChecks().ToHashSet();
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
        var status = new StoreStatus(
            _layout.Root,
            areas.TrueForAll(area => area.Exists),
            areas,
            partitions,
            missing,
            unknown,
            _storeLock.GetStatus(),
            AreaPrunePreview.From(await _retentionPlanner.PlanAsync(bytesByDay, catalog, cancellationToken)),
            _storeLock.ListLeftovers())
        {
            ArchiveStore = _archiveStore.Kind,
            ArchiveLocation = _archiveStore.Location,
        };
        var capacity = _forecaster.Forecast(status);
        var dayProblems = days
            .OrderBy(day => day.Key.Item2)
            .ThenBy(day => day.Key.Item1)
            .SelectMany(day => day.Value.Problems.Select(problem => $"{day.Key.Item1.GetFolderName()}/{day.Key.Item2}: {problem}"))
            .ToList();
        var contentProblems = days.Values.SelectMany(contents => contents.Problems).ToHashSet(StringComparer.Ordinal);
        return status with { Capacity = capacity, HealthProblems = FindHealthProblems(status, capacity, dayProblems, contentProblems) };
    }

    private List<string> FindHealthProblems(
        StoreStatus status, CapacityForecast capacity, List<string> dayProblems, HashSet<string> contentProblems)
    {
        var problems = new List<string>();
        var maxAge = _health.Value.MaxRawAgeDays;
        var newestRaw = status.Partitions.LastOrDefault(p => p.HasRaw)?.Date;
        var newestCheck = _layout.ListDownloadChecks().Cast<PartitionDate?>().LastOrDefault();
        var newest = newestCheck > newestRaw ? newestCheck : newestRaw;
        if (newest is not { } fresh)
        {
            problems.Add("there is no raw day yet");
        }
        else if (_calendar.AgeInDays(fresh) > maxAge)
        {
            problems.Add($"the newest raw day (or day the download found the dataset unchanged) is {fresh}, {_calendar.AgeInDays(fresh)} days old, more than KaggleStorage:Health:MaxRawAgeDays ({maxAge})");
        }

        // What a day holds that the store refuses (a link, a fifo, a name that is not UTF-8) is named once, for raw
        // and processed days alike; a manifest is called invalid here only for what else is wrong with it.
        problems.AddRange(dayProblems);
        problems.AddRange(status.Partitions
            .Where(p => p.Manifest == ManifestHealth.Invalid)
            .Select(p => (p.Date, Others: p.ManifestProblems.Where(problem => !contentProblems.Contains(problem)).ToList(), All: p.ManifestProblems))
            .Where(p => p.Others.Count > 0 || p.All.Count == 0)
            .Select(p => $"raw/{p.Date}: its manifest is invalid ({(p.Others.Count > 0 ? p.Others[0] : "unreadable")})"));
        if (status.Lock.State == LockState.Stale)
        {
            problems.Add($"the store lock is stale: {status.Lock.Reason}");
        }

        if (capacity.Warning is { } warning)
        {
            problems.Add(warning);
        }

        return problems;
    }

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
