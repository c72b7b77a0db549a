namespace KaggleStorage.Archival;

/// <summary>The outcome of an archive run over several days.</summary>
/// <param name="DryRun">Nothing was written.</param>
/// <param name="Outcomes">One per selected day, oldest first.</param>
public sealed record ArchiveRunResult(bool DryRun, IReadOnlyList<ArchiveOutcome> Outcomes)
{
    /// <summary>Whether any day failed.</summary>
    public bool HasFailures => Outcomes.Any(outcome => outcome.Status == ArchiveStatus.Failed);
}
