using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>One entry of the store and what prune does with it.</summary>
public sealed record PruneItem
{
    internal PruneItem(StorageArea Area, string Path, PartitionDate Date, int AgeDays, long Bytes, PruneDecision Decision, string Reason)
    {
        this.Area = Area;
        this.Path = Path;
        this.Date = Date;
        this.AgeDays = AgeDays;
        this.Bytes = Bytes;
        this.Decision = Decision;
        this.Reason = Reason;
    }

    /// <summary>The area it lives in.</summary>
    public StorageArea Area { get; internal init; }

    /// <summary>Full path of the partition folder, archive or file.</summary>
    public string Path { get; internal init; }

    /// <summary>The day it belongs to (from its name, or its last write for undated files).</summary>
    public PartitionDate Date { get; internal init; }

    /// <summary>Today minus <see cref="Date"/>.</summary>
    public int AgeDays { get; internal init; }

    /// <summary>Its size on disk (an archive's index included).</summary>
    public long Bytes { get; internal init; }

    /// <summary>Keep, delete, or archive then delete.</summary>
    public PruneDecision Decision { get; internal init; }

    /// <summary>Why, in words.</summary>
    public string Reason { get; internal init; }
}
