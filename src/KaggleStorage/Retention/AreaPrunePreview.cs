using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>What the next prune would do in one area.</summary>
public sealed record AreaPrunePreview
{
    internal AreaPrunePreview(StorageArea Area, int Keep, int Delete, int ArchiveThenDelete, long BytesToFree)
    {
        this.Area = Area;
        this.Keep = Keep;
        this.Delete = Delete;
        this.ArchiveThenDelete = ArchiveThenDelete;
        this.BytesToFree = BytesToFree;
    }

    /// <summary>The area.</summary>
    public StorageArea Area { get; internal init; }

    /// <summary>Entries kept.</summary>
    public int Keep { get; internal init; }

    /// <summary>Entries deleted outright.</summary>
    public int Delete { get; internal init; }

    /// <summary>Days deleted once their archive is verified.</summary>
    public int ArchiveThenDelete { get; internal init; }

    /// <summary>Bytes the removals would free.</summary>
    public long BytesToFree { get; internal init; }

    /// <summary>Summarizes a plan per area, in layout order.</summary>
    public static IReadOnlyList<AreaPrunePreview> From(PrunePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return StorageAreas.All.Select(area =>
        {
            var items = plan.Items.Where(item => item.Area == area).ToList();
            return new AreaPrunePreview(
                area,
                items.Count(item => item.Decision == PruneDecision.Keep),
                items.Count(item => item.Decision == PruneDecision.Delete),
                items.Count(item => item.Decision == PruneDecision.ArchiveThenDelete),
                items.Where(item => item.Decision != PruneDecision.Keep).Sum(item => item.Bytes));
        }).ToList();
    }
}
