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
    internal ArchiveSelection? Selection { get; init; }
}
