using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>What an archive run will do, day by day, oldest first: a value to print, check or execute.</summary>
/// <param name="Days">The days selected.</param>
public sealed record ArchivePlan(IReadOnlyList<PlannedArchive> Days);

/// <summary>One day of an <see cref="ArchivePlan"/>.</summary>
/// <param name="Date">The day.</param>
/// <param name="ArchiveLocation">Where its archive will be (a path, or <c>s3://bucket/key</c>).</param>
/// <param name="SourceBytes">What raw and processed hold of the day now.</param>
public sealed record PlannedArchive(PartitionDate Date, string ArchiveLocation, long SourceBytes);

/// <summary>How an <see cref="ArchivePlan"/> is executed.</summary>
public sealed record ArchiveRunOptions
{
    /// <summary>Replace an existing archive that differs from the day now; otherwise that day fails, unchanged.</summary>
    public bool Force { get; init; }
}
