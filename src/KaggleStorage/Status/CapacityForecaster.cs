using KaggleStorage.Layout;
using System.IO.Abstractions;
using KaggleStorage.IO;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Status;

/// <summary>
/// Forecasts the store's size from what it holds: the average size of the recent days of raw, processed and
/// archive, and the recent daily writes to reports and metadata, each multiplied by its retention, give the size
/// the store settles at; against the volume's free space that says whether and when it fills.
/// </summary>
internal sealed class CapacityForecaster(StorageLayout layout, IFileSystem fileSystem, StoreCalendar calendar, IOptions<Retention.RetentionOptions> retention)
{
    /// <summary>How many of the newest days the averages are taken over.</summary>
    public const int RecentDays = 7;

    public CapacityForecast Forecast(StoreStatus status)
    {
        var policy = retention.Value;
        var recent = status.Partitions.TakeLast(RecentDays * 2).ToList();
        long Average(Func<PartitionStatus, bool> has, Func<PartitionStatus, long> size)
        {
            var days = recent.Where(has).TakeLast(RecentDays).ToList();
            return days.Count == 0 ? 0 : (long)days.Average(size);
        }

        var growth = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["raw"] = Average(p => p.HasRaw, p => p.RawBytes),
            ["processed"] = Average(p => p.HasProcessed, p => p.ProcessedBytes),
            // Archives in an object store do not take room on the volume.
            ["archive"] = status.ArchivesOnStoreVolume ? Average(p => p.Archived, p => p.ArchiveBytes) : 0,
            ["reports"] = RecentDailyWrites(StorageArea.Reports),
            ["metadata"] = RecentDailyWrites(StorageArea.Metadata),
        };
        var steady = (growth["raw"] * policy.RawDays) + (growth["processed"] * policy.ProcessedDays) + (growth["archive"] * policy.ArchiveDays)
            + (growth["reports"] * policy.ReportsDays) + (growth["metadata"] * policy.MetadataDays);
        var used = status.Areas.Where(area => area.Area != StorageArea.Archive || status.ArchivesOnStoreVolume).Sum(area => area.Bytes);
        var daily = growth.Values.Sum();
        var (total, free) = VolumeOf(layout.Root);

        // The store grows until retention starts deleting; it fills the volume only if the rest of the way to its
        // steady state does not fit in what is free.
        int? daysUntilFull = free is { } room && daily > 0 && steady - used > room ? (int)Math.Min(int.MaxValue, room / daily) : null;
        string? warning = null;
        if (free is { } available && steady > used + available)
        {
            warning = $"Under the retention policy the store settles at about {Format(steady)} ({Format(daily)} a day), but the volume has room for {Format(used + available)}"
                + (daysUntilFull is { } days ? $"; at this rate it is full in about {Quantity.Of(days, "day")}" : string.Empty)
                + ". Grow the volume or shorten retention.";
        }

        return new CapacityForecast(total, free, used, daily, growth, steady, daysUntilFull, warning);
    }

    private long RecentDailyWrites(StorageArea area)
    {
        var path = layout.GetAreaPath(area);
        if (!fileSystem.Directory.Exists(path))
        {
            return 0;
        }

        var since = calendar.Today.AddDays(-30);
        var bytes = fileSystem.DirectoryInfo.New(path).EnumerateFiles("*", SearchOption.AllDirectories)
            .Where(file => calendar.ToPartitionDate(file.LastWriteTimeUtc) > since)
            .Sum(file => file.Length);
        return bytes / 30;
    }

    private (long? Total, long? Free) VolumeOf(string root) =>
        FreeSpace.GetVolume(fileSystem, root) is { } volume ? (volume.Total, volume.Available) : (null, null);

    private static string Format(long bytes) => ByteCount.Format(bytes);
}
