using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// Which days to archive: listed days, days older than a number of days, or every day; the last two take the days
/// without an archive or whose archive is stale.
/// </summary>
internal sealed record ArchiveSelection
{
    private ArchiveSelection()
    {
    }

    /// <summary>Explicit days (archived even when an archive exists; an identical one is left alone).</summary>
    public IReadOnlyList<PartitionDate> Dates { get; private init; } = [];

    /// <summary>Days whose age is more than this many days and that have no archive yet or a stale one.</summary>
    public int? OlderThanDays { get; private init; }

    /// <summary>Every day with raw or processed data and no archive yet or a stale one.</summary>
    public bool AllUnarchived { get; private init; }

    /// <summary>Selects listed days.</summary>
    public static ArchiveSelection ForDates(IEnumerable<PartitionDate> dates)
    {
        var list = dates.Distinct().Order().ToList();
        return list.Count == 0
            ? throw new ArgumentException("Name at least one day.", nameof(dates))
            : new ArchiveSelection { Dates = list };
    }

    /// <summary>Selects unarchived or stale days older than <paramref name="days"/> days.</summary>
    public static ArchiveSelection OlderThan(int days)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        return new ArchiveSelection { OlderThanDays = days };
    }

    /// <summary>Selects every unarchived or stale day.</summary>
    public static ArchiveSelection All() => new() { AllUnarchived = true };
}
