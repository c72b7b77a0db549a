using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>What an archive run will do, day by day, oldest first: a value to print, check or execute.</summary>
/// <param name="Days">The days selected.</param>
public sealed record ArchivePlan(IReadOnlyList<PlannedArchive> Days)
{
    /// <summary>
    /// The selection the plan was made from; a selection of ages or of every day is made again under the store lock
    /// when the plan is executed.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public ArchiveSelection? Selection { get; init; }
}

/// <summary>One day of an <see cref="ArchivePlan"/>.</summary>
/// <param name="Date">The day.</param>
/// <param name="ArchiveLocation">Where its archive will be (a path, or <c>s3://bucket/key</c>).</param>
/// <param name="SourceBytes">What raw and processed hold of the day now.</param>
public sealed record PlannedArchive(PartitionDate Date, string ArchiveLocation, long SourceBytes);

/// <summary>How an <see cref="ArchivePlan"/> is executed.</summary>
public sealed record ArchiveRunOptions
{
    /// <summary>
    /// Let live files win over archived copies that differ without being newer; otherwise such a day fails,
    /// unchanged. Files only in the old archive are carried over either way.
    /// </summary>
    public bool Force { get; init; }
}
