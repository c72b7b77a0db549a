using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>One entry of the store and what prune does with it.</summary>
/// <param name="Area">The area it lives in.</param>
/// <param name="Path">Full path of the partition folder, archive or file.</param>
/// <param name="Date">The day it belongs to (from its name, or its last write for undated files).</param>
/// <param name="AgeDays">Today minus <paramref name="Date"/>.</param>
/// <param name="Bytes">Its size on disk (an archive's index included).</param>
/// <param name="Decision">Keep, delete, or archive then delete.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record PruneItem(
    StorageArea Area, string Path, PartitionDate Date, int AgeDays, long Bytes, PruneDecision Decision, string Reason);
