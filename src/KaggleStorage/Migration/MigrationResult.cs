namespace KaggleStorage.Migration;

/// <summary>What a migration or rollback did (or, for a dry run, would do).</summary>
/// <param name="Operation"><c>migrate</c> or <c>rollback</c>.</param>
/// <param name="DryRun">Nothing was written.</param>
/// <param name="Plan">The plan it followed.</param>
/// <param name="JournalPath">The journal written, when not a dry run.</param>
/// <param name="Entries">Per partition and file, what happened.</param>
/// <param name="Problems">Conflicts, manifest mismatches and failures, one line each.</param>
public sealed record MigrationResult(
    string Operation, bool DryRun, MigrationPlan Plan, string? JournalPath, IReadOnlyList<JournalEntry> Entries, IReadOnlyList<string> Problems)
{
    /// <summary>Whether everything planned was done and verified.</summary>
    public bool Succeeded => Problems.Count == 0;
}
