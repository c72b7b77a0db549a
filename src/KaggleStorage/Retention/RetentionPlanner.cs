using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Retention;

/// <summary>
/// Decides, without changing anything, what the retention policy keeps and removes: raw and processed days past
/// their days (never the newest <see cref="RetentionOptions.KeepLast"/>), archives past theirs, and files in
/// reports/ and metadata/ dated by the <c>YYYYMMDD</c> in their name or folder, else by their last write.
/// </summary>
internal sealed class RetentionPlanner(
    StorageLayout layout,
    IFileSystem fileSystem,
    StoreCalendar calendar,
    IOptions<RetentionOptions> retention,
    IArchiveStore archiveStore)
{
    private RetentionOptions Policy => retention.Value;

    /// <summary>Builds the plan for today.</summary>
    public Task<PrunePlan> PlanAsync(CancellationToken cancellationToken = default) => PlanAsync(knownSizes: null, archives: null, cancellationToken);

    /// <summary>Builds the plan from what the caller has read already: day sizes and the archive store's listing.</summary>
    public async Task<PrunePlan> PlanAsync(
        IReadOnlyDictionary<(StorageArea, PartitionDate), long>? knownSizes, ArchiveCatalog? archives, CancellationToken cancellationToken)
    {
        layout.EnsureExists();
        var today = calendar.Today;
        var items = new List<PruneItem>();
        var unknown = new List<string>();
        foreach (var area in StorageAreas.Partitioned)
        {
            var listing = layout.ListPartitions(area);
            unknown.AddRange(listing.UnknownEntries);
            items.AddRange(PlanPartitions(area, listing.Dates, today, knownSizes));
        }

        archives ??= await ArchiveCatalog.ReadAsync(archiveStore, cancellationToken);
        unknown.AddRange(archives.UnknownEntries);
        items.AddRange(PlanArchives(archives, today));
        items.AddRange(PlanFiles(StorageArea.Reports, today));
        items.AddRange(PlanFiles(StorageArea.Metadata, today));

        unknown.Sort(StringComparer.Ordinal);
        return new PrunePlan(today, items, unknown, [.. Policy.GetWarnings(), .. FindNonUtf8Names()]);
    }

    private IEnumerable<PruneItem> PlanPartitions(
        StorageArea area, IReadOnlyList<PartitionDate> dates, PartitionDate today, IReadOnlyDictionary<(StorageArea, PartitionDate), long>? knownSizes)
    {
        var keepDays = Policy.GetDays(area);
        var protectedFrom = dates.Count - Policy.KeepLast;
        for (var i = 0; i < dates.Count; i++)
        {
            var date = dates[i];
            var path = layout.GetDateDirectory(area, date);
            var age = today.DaysSince(date);
            var bytes = knownSizes is not null && knownSizes.TryGetValue((area, date), out var known) ? known : SizeOf(path);
            if (age <= keepDays)
            {
                yield return new PruneItem(area, path, date, age, bytes, PruneDecision.Keep, $"age {age} ≤ {Quantity.Of(keepDays, "day")}");
            }
            else if (i >= protectedFrom)
            {
                yield return new PruneItem(
                    area, path, date, age, bytes, PruneDecision.Keep,
                    $"age {age} > {Quantity.Of(keepDays, "day")}, but one of the newest {Quantity.Of(Policy.KeepLast, area.GetFolderName() + " day")}");
            }
            else if (age <= Policy.ArchiveDays)
            {
                yield return new PruneItem(
                    area, path, date, age, bytes, PruneDecision.ArchiveThenDelete,
                    $"age {age} > {Quantity.Of(keepDays, "day")}; deleted once archive/{ArchiveNames.Archive(date)} is verified");
            }
            else
            {
                // Its archive would itself be past retention, so making one only to delete it is pointless.
                yield return new PruneItem(
                    area, path, date, age, bytes, PruneDecision.Delete,
                    $"age {age} > {Quantity.Of(keepDays, "day")} and past the {Policy.ArchiveDays}-day archive window");
            }
        }
    }

    private IEnumerable<PruneItem> PlanArchives(ArchiveCatalog catalog, PartitionDate today)
    {
        foreach (var date in catalog.ArchivedDays)
        {
            var path = archiveStore.Describe(ArchiveNames.Archive(date));
            var age = today.DaysSince(date);
            var bytes = catalog.BytesOf(date);
            yield return age <= Policy.ArchiveDays
                ? new PruneItem(StorageArea.Archive, path, date, age, bytes, PruneDecision.Keep, $"age {age} ≤ {Quantity.Of(Policy.ArchiveDays, "day")}")
                : new PruneItem(StorageArea.Archive, path, date, age, bytes, PruneDecision.Delete, $"age {age} > {Quantity.Of(Policy.ArchiveDays, "day")}");
        }
    }

    private IEnumerable<PruneItem> PlanFiles(StorageArea area, PartitionDate today)
    {
        var areaPath = layout.GetAreaPath(area);
        if (!fileSystem.Directory.Exists(areaPath))
        {
            yield break;
        }

        var keepDays = Policy.GetDays(area);
        // An entry whose name is not UTF-8 is listed under a decoded name that does not exist: it is left out here
        // and named in the plan's warnings instead (see FindNonUtf8Names).
        var files = fileSystem.DirectoryInfo.New(areaPath).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(file => file.Exists)
            .Select(file => (File: file, Relative: fileSystem.Path.GetRelativePath(areaPath, file.FullName)))
            .Where(file => !file.Relative.Split(fileSystem.Path.DirectorySeparatorChar).Any(part => part.StartsWith('.')))
            .OrderBy(file => file.Relative, StringComparer.Ordinal);
        foreach (var (file, relative) in files)
        {
            var (date, dateSource) = DateOf(relative, file);
            var age = today.DaysSince(date);
            yield return age <= keepDays
                ? new PruneItem(area, file.FullName, date, age, file.Length, PruneDecision.Keep, $"age {age} ≤ {Quantity.Of(keepDays, "day")} ({dateSource})")
                : new PruneItem(area, file.FullName, date, age, file.Length, PruneDecision.Delete, $"age {age} > {Quantity.Of(keepDays, "day")} ({dateSource})");
        }
    }

    /// <summary>Files of reports/ and metadata/ whose name is not UTF-8: never deleted, but named.</summary>
    private IEnumerable<string> FindNonUtf8Names() =>
        new[] { StorageArea.Reports, StorageArea.Metadata }
            .Select(layout.GetAreaPath)
            .Where(fileSystem.Directory.Exists)
            .SelectMany(path => new DayContentsReader(fileSystem).Read(path).NonUtf8Names)
            .Select(path => $"{path} {EntryNames.NotUtf8}; retention leaves it in place");

    private (PartitionDate Date, string Source) DateOf(string relativePath, IFileInfo file)
    {
        // The innermost name carrying a date wins: reports/2024/20241026/summary.html and
        // metadata/migrations/20241026T020000Z.json are both of 20241026.
        var parts = relativePath.Split(fileSystem.Path.DirectorySeparatorChar);
        for (var i = parts.Length - 1; i >= 0; i--)
        {
            if (PartitionDate.FindIn(parts[i]) is { } date)
            {
                return (date, i == parts.Length - 1 ? "date in name" : "date in folder name");
            }
        }

        return (calendar.ToPartitionDate(file.LastWriteTimeUtc), "last written");
    }

    private long SizeOf(string directory) => new DayContentsReader(fileSystem).Read(directory).TotalBytes;
}
