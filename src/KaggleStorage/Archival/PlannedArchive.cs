using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>One day of an <see cref="ArchivePlan"/>.</summary>
/// <param name="Date">The day.</param>
/// <param name="ArchiveLocation">Where its archive will be (a path, or <c>s3://bucket/key</c>).</param>
/// <param name="SourceBytes">What raw and processed hold of the day now.</param>
public sealed record PlannedArchive(PartitionDate Date, string ArchiveLocation, long SourceBytes);
