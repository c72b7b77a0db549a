using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>What a prune did.</summary>
/// <param name="Plan">The plan it followed: the store as planned under the lock.</param>
/// <param name="Removed">Entries deleted.</param>
/// <param name="Archived">Days archived first because their archive was missing.</param>
/// <param name="Failures">Entries kept because archiving, verifying or deleting failed.</param>
/// <param name="LeftoversCleared">
/// What interrupted runs had left and this prune removed first: entries in <c>.trash/</c> and <c>.staging/</c> and the
/// archive store's unfinished uploads.
/// </param>
public sealed record PruneResult(
    PrunePlan Plan,
    IReadOnlyList<PruneItem> Removed,
    IReadOnlyList<PartitionDate> Archived,
    IReadOnlyList<PruneFailure> Failures,
    int LeftoversCleared)
{
    /// <summary>Bytes freed by the entries removed.</summary>
    public long BytesFreed => Removed.Sum(item => item.Bytes);
}
