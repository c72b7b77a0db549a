using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using KaggleStorage.Status;

namespace KaggleStorage.Tool.Demo;

/// <summary>What each step of the demo did, in order, for the command to print.</summary>
/// <param name="Reset">An earlier demo built the folder and it was emptied first.</param>
/// <param name="Init">The store's initialization.</param>
/// <param name="LegacyFolder">Where the legacy job-local layout was laid down (removed once migrated).</param>
/// <param name="LegacyDays">How many days the legacy layout held.</param>
/// <param name="Migration">The migration of the legacy layout into the store.</param>
/// <param name="Yesterday">The last day generated.</param>
/// <param name="Created">Raw days generated as a download would land them.</param>
/// <param name="OldDays">Days generated past the raw retention, so archive and prune have work.</param>
/// <param name="Archived">The archive run over days older than a week.</param>
/// <param name="Pruned">The prune, or null when it was skipped.</param>
/// <param name="Status">The store at the end.</param>
internal sealed record DemoReport(
    bool Reset,
    IReadOnlyList<StorageArea> Init,
    string LegacyFolder,
    int LegacyDays,
    MigrationResult Migration,
    PartitionDate Yesterday,
    IReadOnlyList<PartitionDate> Created,
    IReadOnlyList<PartitionDate> OldDays,
    ArchiveRunResult Archived,
    PruneResult? Pruned,
    StoreStatus Status)
{
    /// <summary>Every failure a step met: migration problems, failed archives, prune failures.</summary>
    public int Failures =>
        Migration.Problems.Count
        + Archived.Outcomes.Count(outcome => outcome.Status == "failed")
        + (Pruned?.Failures.Count ?? 0);
}
