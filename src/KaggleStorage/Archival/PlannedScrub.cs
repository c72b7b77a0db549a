using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>One archive a scrub reads.</summary>
/// <param name="Date">The day.</param>
/// <param name="ArchiveLocation">The archive, as a path or object location.</param>
/// <param name="SizeBytes">Its size (0 when the archive object is missing).</param>
/// <param name="LastVerifiedAtUtc">When it was last proven whole (its creation when no scrub read it yet); null when nothing tells.</param>
public sealed record PlannedScrub(PartitionDate Date, string ArchiveLocation, long SizeBytes, DateTimeOffset? LastVerifiedAtUtc);
