using KaggleStorage.Layout;
namespace KaggleStorage.Status;

/// <summary>Totals of one area.</summary>
/// <param name="Area">The area.</param>
/// <param name="Exists">Whether its folder exists.</param>
/// <param name="PartitionCount">Days present (raw, processed, archive); zero for the other areas.</param>
/// <param name="FileCount">Files anywhere under the area (hidden working files excluded).</param>
/// <param name="Bytes">Their total size.</param>
public sealed record AreaStatus(StorageArea Area, bool Exists, int PartitionCount, long FileCount, long Bytes);
