namespace KaggleStorage.Archival;

/// <summary>The result of a scrub.</summary>
/// <param name="Plan">What was planned.</param>
/// <param name="Archives">What each archive's reading found, in the plan's order.</param>
/// <param name="RecordPath">The record of when each archive was last verified, rewritten by this scrub.</param>
public sealed record ScrubResult(ScrubPlan Plan, IReadOnlyList<ScrubOutcome> Archives, string RecordPath)
{
    /// <summary>Whether no archive read was damaged or missing.</summary>
    public bool IsValid => !Archives.Any(archive => archive.Failed);
}
