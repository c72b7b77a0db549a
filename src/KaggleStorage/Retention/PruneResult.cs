using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>What a prune did.</summary>
public sealed record PruneResult
{
    internal PruneResult(PrunePlan Plan, IReadOnlyList<PruneItem> Removed, IReadOnlyList<PartitionDate> Archived, IReadOnlyList<PruneFailure> Failures, int LeftoversCleared)
    {
        this.Plan = Plan;
        this.Removed = Removed;
        this.Archived = Archived;
        this.Failures = Failures;
        this.LeftoversCleared = LeftoversCleared;
    }

    /// <summary>The plan it followed: the store as planned under the lock.</summary>
    public PrunePlan Plan { get; internal init; }

    /// <summary>Entries deleted.</summary>
    public IReadOnlyList<PruneItem> Removed { get; internal init; }

    /// <summary>Days archived first because their archive was missing.</summary>
    public IReadOnlyList<PartitionDate> Archived { get; internal init; }

    /// <summary>Entries kept because archiving, verifying or deleting failed.</summary>
    public IReadOnlyList<PruneFailure> Failures { get; internal init; }

    /// <summary>What interrupted runs had left and this prune removed first: entries in <c>.trash/</c> and <c>.staging/</c> and the archive store's unfinished uploads.</summary>
    public int LeftoversCleared { get; internal init; }

    /// <summary>Bytes freed by the entries removed.</summary>
    public long BytesFreed => Removed.Sum(item => item.Bytes);
}
