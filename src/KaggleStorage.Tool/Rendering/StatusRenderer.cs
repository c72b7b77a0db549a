using KaggleStorage.IO;
using KaggleStorage.Status;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Tool.Rendering;

/// <summary>Prints a <see cref="StoreStatus"/> for people.</summary>
internal static class StatusRenderer
{
    private const int NewestPartitionsShown = 14;

    public static void Write(TextWriter output, StoreStatus status)
    {
        output.WriteLine($"Store {status.Root}{(status.Initialized ? string.Empty : " (not initialized: run 'kaggle-storage init')")}");
        if (!status.ArchivesOnStoreVolume)
        {
            output.WriteLine($"Archives in {status.ArchiveLocation}");
        }

        output.WriteLine();
        output.WriteLine($"{"area",-10} {"days",6} {"files",8} {"size",11}");
        foreach (var area in status.Areas)
        {
            var days = area.Area is StorageArea.Reports or StorageArea.Metadata ? "-" : area.PartitionCount.ToString();
            var size = area.Exists ? ByteCount.Format(area.Bytes) : "missing";
            output.WriteLine($"{area.Area.GetFolderName(),-10} {days,6} {area.FileCount,8} {size,11}");
        }

        output.WriteLine();
        if (status.Partitions.Count == 0)
        {
            output.WriteLine("No partitions yet.");
        }
        else
        {
            var first = status.Partitions[0].Date;
            var last = status.Partitions[^1].Date;
            output.WriteLine($"Days: {status.Partitions.Count} from {first} to {last}, {status.MissingDays.Count} missing in between"
                + (status.MissingDays.Count is > 0 and <= 10 ? $" ({string.Join(", ", status.MissingDays)})" : string.Empty) + ".");
            var raw = status.Partitions.Where(p => p.HasRaw).ToList();
            output.WriteLine(
                $"Manifests: {raw.Count(p => p.Manifest == ManifestHealth.Valid)} valid, {raw.Count(p => p.Manifest == ManifestHealth.Missing)} missing, {raw.Count(p => p.Manifest == ManifestHealth.Invalid)} invalid.");
            var archived = status.Partitions.Where(p => p.Archived).ToList();
            if (archived.Count > 0)
            {
                var oldest = archived.Where(p => p.ArchiveVerifiedAtUtc is not null).MinBy(p => p.ArchiveVerifiedAtUtc);
                output.WriteLine(
                    $"Archives proven: {archived.Count(p => p.ArchiveVerifiedAtUtc is not null)} of {archived.Count}"
                    + (oldest is null ? string.Empty : $", the least recently {oldest.Date} on {oldest.ArchiveVerifiedAtUtc:yyyy-MM-dd HH:mm}Z")
                    + $", {archived.Count(p => p.ArchiveScrubFailed)} failed their last scrub.");
            }

            output.WriteLine();
            output.WriteLine($"{"day",-9} {"raw",11} {"processed",11} {"archive",11}  manifest");
            var shown = status.Partitions.Skip(Math.Max(0, status.Partitions.Count - NewestPartitionsShown)).ToList();
            if (shown.Count < status.Partitions.Count)
            {
                output.WriteLine($"... {status.Partitions.Count - shown.Count} older days not shown (use --json for all)");
            }

            foreach (var p in shown)
            {
                output.WriteLine(
                    $"{p.Date,-9} {(p.HasRaw ? ByteCount.Format(p.RawBytes) : "-"),11} {(p.HasProcessed ? ByteCount.Format(p.ProcessedBytes) : "-"),11} {(p.Archived ? ByteCount.Format(p.ArchiveBytes) : "-"),11}  {Describe(p.Manifest)}");
            }

            foreach (var p in status.Partitions.Where(p => p.ArchiveStale.Count > 0))
            {
                output.WriteLine($"{p.Date}: archive stale, refreshed by the next 'archive --older-than'/'--all' or 'prune' ({p.ArchiveStale[0]}{(p.ArchiveStale.Count > 1 ? $"; and {p.ArchiveStale.Count - 1} more" : string.Empty)})");
            }

            foreach (var p in status.Partitions.Where(p => p.ArchiveScrubFailed))
            {
                output.WriteLine($"{p.Date}: archive failed its last scrub ({(p.ArchiveScrubProblems.Count > 0 ? p.ArchiveScrubProblems[0] : "damaged")})");
            }

            foreach (var p in status.Partitions.Where(p => p.Problems.Count > 0 || p.Manifest == ManifestHealth.Invalid))
            {
                foreach (var problem in p.Problems.Concat(p.ManifestProblems).Distinct(StringComparer.Ordinal))
                {
                    output.WriteLine($"  {p.Date}: {problem}");
                }
            }
        }

        if (status.UnknownEntries.Count > 0)
        {
            output.WriteLine();
            output.WriteLine($"Not part of the layout (left alone): {status.UnknownEntries.Count}");
            foreach (var entry in status.UnknownEntries.Take(20))
            {
                output.WriteLine($"  {entry}");
            }
        }

        output.WriteLine();
        var removals = status.PruneNext.Where(p => p.Delete + p.ArchiveThenDelete > 0).ToList();
        output.WriteLine(removals.Count == 0
            ? "Prune next: nothing past retention."
            : "Prune next: " + string.Join("; ", removals.Select(p =>
                $"{p.Area.GetFolderName()} {p.Delete + p.ArchiveThenDelete} ({(p.ArchiveThenDelete > 0 ? $"{p.ArchiveThenDelete} archived first, " : string.Empty)}{ByteCount.Format(p.BytesToFree)})")) + ".");
        output.WriteLine($"Lock: {status.Lock}.");
        if (status.Capacity is { } capacity)
        {
            output.WriteLine(capacity.TotalBytes is { } total && capacity.FreeBytes is { } free
                ? $"Volume: {ByteCount.Format(total)}, {ByteCount.Format(free)} free; the store holds {ByteCount.Format(capacity.UsedBytes)}."
                : $"Volume: size unknown; the store holds {ByteCount.Format(capacity.UsedBytes)}.");
            output.WriteLine(
                $"Growth: {ByteCount.Format(capacity.DailyGrowthBytes)} a day{GrowthByArea(capacity)}; "
                + $"under retention the store settles at {ByteCount.Format(capacity.SteadyStateBytes)}"
                + (capacity.DaysUntilFull is { } days ? $"; the volume is full in about {Quantity.Of(days, "day")}." : "; at this rate the volume never fills."));
            if (capacity.Warning is { } warning)
            {
                output.WriteLine($"WARNING {warning}");
            }
        }

        output.WriteLine(status.HealthProblems.Count == 0 ? "Health: ok." : $"Health: {Quantity.Of(status.HealthProblems.Count, "problem")}: {string.Join("; ", status.HealthProblems)}.");
        if (status.Leftovers.Count > 0)
        {
            output.WriteLine(
                $"Left by interrupted runs (removed by the next mutating command): {status.Leftovers.Count}, {ByteCount.Format(status.Leftovers.Sum(entry => entry.Bytes))}");
            foreach (var entry in status.Leftovers.Take(20))
            {
                output.WriteLine(entry.PutBackTo is { } target
                    ? $"  {entry.Path} ({ByteCount.Format(entry.Bytes)}): {target} set aside by a stopped replace, the only copy; the next locked command puts it back"
                    : $"  {entry.Path} ({(entry.UploadId is null ? string.Empty : "unfinished upload, ")}{ByteCount.Format(entry.Bytes)}{(entry.StartedAtUtc is { } started ? $", begun {started:yyyy-MM-dd HH:mm}Z" : string.Empty)})");
            }
        }
    }

    private static string Describe(ManifestHealth? health) => health switch
    {
        null => "-",
        ManifestHealth.Valid => "valid",
        ManifestHealth.Missing => "missing",
        ManifestHealth.Invalid => "INVALID",
        _ => health.ToString()!,
    };

    // A store that does not grow has no areas to name: "0 B a day", not "0 B a day ()".
    private static string GrowthByArea(CapacityForecast capacity)
    {
        var growing = capacity.DailyGrowthByArea.Where(a => a.Value > 0).Select(a => $"{a.Key} {ByteCount.Format(a.Value)}").ToList();
        return growing.Count == 0 ? string.Empty : $" ({string.Join(", ", growing)})";
    }
}
