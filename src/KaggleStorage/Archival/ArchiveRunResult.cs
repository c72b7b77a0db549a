namespace KaggleStorage.Archival;

/// <summary>The outcome of an archive run over several days.</summary>
/// <param name="Outcomes">One per planned day, oldest first.</param>
public sealed record ArchiveRunResult(IReadOnlyList<ArchiveOutcome> Outcomes)
{
    /// <summary>Whether any day failed.</summary>
    public bool HasFailures => Outcomes.Any(outcome => outcome.Failed);
}
