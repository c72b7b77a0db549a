using KaggleStorage.Errors;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// Verifies days end to end: each raw day against its download manifest (hashes included) and each archive
/// against its index and the live files. A problem of one day (a damaged archive or object, an index without its
/// archive, a manifest that does not read, a folder that cannot be listed) is reported for that day, naming the object
/// or path; the other days are still checked. A store that cannot be used at all fails the run at once.
/// </summary>
public sealed class VerifyService
{
    private readonly StorageLayout _layout;
    private readonly DownloadManifestVerifier _manifestVerifier;
    private readonly ArchiveVerifier _archiveVerifier;
    private readonly PartitionArchiver _archiver;
    private readonly StoreLock _storeLock;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal VerifyService(
        StorageLayout layout,
        DownloadManifestVerifier manifestVerifier,
        ArchiveVerifier archiveVerifier,
        PartitionArchiver archiver,
        StoreLock storeLock)
    {
        _storeLock = storeLock;
        _layout = layout;
        _manifestVerifier = manifestVerifier;
        _archiveVerifier = archiveVerifier;
        _archiver = archiver;
    }

    /// <summary>Verifies the given days, or every raw and archived day when none are given.</summary>
    /// <exception cref="StorageInputException">The store does not exist, or a listed day has neither a raw or processed folder nor anything of an archive.</exception>
    public async Task<VerificationReport> VerifyAsync(
        IReadOnlyCollection<PartitionDate> days, IProgress<DayVerification>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);

        // A missing root would verify as an empty store: "0 days, all good" about a mistyped path.
        _layout.EnsureExists();
        var raw = _layout.ListPartitions(StorageArea.Raw).Dates.ToHashSet();
        var archived = (await _archiveVerifier.FindArchivedDaysAsync(cancellationToken)).ToHashSet();
        var setAside = FindSetAsideDays();

        // A processed day without an archive is read by no other check: what it holds that a day may not is its
        // problem here, so a name that is not UTF-8 there is never passed over.
        var processed = _layout.ListPartitions(StorageArea.Processed).Dates.ToHashSet();
        var folderProblems = processed
            .Where(day => !archived.Contains(day))
            .Select(day => (Day: day, _archiver.ReadDay(StorageArea.Processed, day).Problems))
            .Where(day => day.Problems.Count > 0)
            .ToDictionary(day => day.Day, day => day.Problems);
        var selected = days.Count > 0
            ? days.Distinct().Order().ToList()
            : raw.Concat(archived).Concat(setAside.Keys).Concat(folderProblems.Keys).Distinct().Order().ToList();
        var unknown = selected.Where(day => !raw.Contains(day) && !archived.Contains(day) && !setAside.ContainsKey(day) && !processed.Contains(day)).ToList();
        if (unknown.Count > 0)
        {
            throw new StorageNotFoundException($"The store has neither a raw day nor an archive for {string.Join(", ", unknown)}.");
        }

        var reports = new List<DayVerification>();
        foreach (var day in selected)
        {
            var manifest = raw.Contains(day) ? await VerifyManifestAsync(day, cancellationToken) : null;
            var archive = archived.Contains(day) ? await VerifyArchiveAsync(day, cancellationToken) : null;
            var report = new DayVerification(day, manifest, archive)
            {
                SetAside = setAside.GetValueOrDefault(day, []),
                FolderProblems = folderProblems.GetValueOrDefault(day, []),
            };
            reports.Add(report);
            progress?.Report(report);
        }

        return new VerificationReport(reports);
    }

    /// <summary>Day folders that a stopped replace moved aside, by day: they are missing until put back.</summary>
    private Dictionary<PartitionDate, List<string>> FindSetAsideDays()
    {
        var found = new Dictionary<PartitionDate, List<string>>();
        foreach (var entry in _storeLock.ListLeftovers())
        {
            foreach (var area in StorageAreas.Partitioned)
            {
                if (entry.PutBackTo is { } target
                    && PartitionDate.TryParse(Path.GetFileName(target), out var day)
                    && string.Equals(target, _layout.GetDateDirectory(area, day), StringComparison.Ordinal))
                {
                    (found.TryGetValue(day, out var lines) ? lines : found[day] = []).Add(
                        $"{area.GetFolderName()}/{day} is set aside at {entry.Path} by a replace that was stopped; the next locked command puts it back");
                }
            }
        }

        return found;
    }

    private async Task<ManifestCheck> VerifyManifestAsync(PartitionDate day, CancellationToken cancellationToken)
    {
        var folder = _layout.GetDateDirectory(StorageArea.Raw, day);
        try
        {
            return await _manifestVerifier.VerifyAsync(folder, verifyContent: true, cancellationToken);
        }
        catch (Exception exception) when (ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            return new ManifestCheck(ManifestHealth.Invalid, [$"{folder} could not be read: {exception.Message.TrimEnd('.')}"]);
        }
    }

    private async Task<ArchiveVerification> VerifyArchiveAsync(PartitionDate day, CancellationToken cancellationToken)
    {
        try
        {
            return await _archiveVerifier.VerifyAsync(day, cancellationToken);
        }
        catch (Exception exception) when (ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            return new ArchiveVerification(day, _archiver.DescribeArchive(day), 0, 0, [$"the archive could not be read: {exception.Message.TrimEnd('.')}"], []);
        }
    }
}
