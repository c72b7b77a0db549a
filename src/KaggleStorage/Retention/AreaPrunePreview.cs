using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>What the next prune would do in one area.</summary>
/// <param name="Area">The area.</param>
/// <param name="Keep">Entries kept.</param>
/// <param name="Delete">Entries deleted outright.</param>
/// <param name="ArchiveThenDelete">Days deleted once their archive is verified.</param>
/// <param name="BytesToFree">Bytes the removals would free.</param>
public sealed record AreaPrunePreview(StorageArea Area, int Keep, int Delete, int ArchiveThenDelete, long BytesToFree)
{
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
