using KaggleStorage.Layout;
namespace KaggleStorage.Status;

/// <summary>Totals of one area.</summary>
public sealed record AreaStatus
{
    internal AreaStatus(StorageArea Area, bool Exists, int PartitionCount, long FileCount, long Bytes)
    {
        this.Area = Area;
        this.Exists = Exists;
        this.PartitionCount = PartitionCount;
        this.FileCount = FileCount;
        this.Bytes = Bytes;
    }

    /// <summary>The area.</summary>
    public StorageArea Area { get; internal init; }

    /// <summary>Whether its folder exists.</summary>
    public bool Exists { get; internal init; }

    /// <summary>Days present (raw, processed, archive); zero for the other areas.</summary>
    public int PartitionCount { get; internal init; }

    /// <summary>Files anywhere under the area (hidden working files excluded).</summary>
    public long FileCount { get; internal init; }

    /// <summary>Their total size.</summary>
    public long Bytes { get; internal init; }
}
