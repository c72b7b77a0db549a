namespace KaggleStorage.Migration;

/// <summary>
/// What a migration or rollback did (or, for a dry run, would do): the plan's totals and notes, each day's or
/// file's outcome in a word, and the problems. The plan and the journal entries behind it stay inside the library;
/// the journal on disk holds every entry with its files and hashes.
/// </summary>
public sealed record MigrationResult
{
    internal MigrationResult(
        string operation, bool dryRun, MigrationPlan plan, string? journalPath, IReadOnlyList<JournalEntry> entries, IReadOnlyList<string> problems)
    {
        Operation = operation;
        DryRun = dryRun;
        Plan = plan;
        JournalPath = journalPath;
        Entries = entries;
        Problems = problems;
        var outcomes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            outcomes.TryAdd(MigrationWording.Name(entry), MigrationWording.Outcome(entry.Outcome));
        }

        Outcomes = outcomes;
    }

    /// <summary><c>migrate</c> or <c>rollback</c>.</summary>
    public string Operation { get; }

    /// <summary>Nothing was written.</summary>
    public bool DryRun { get; }

    /// <summary>Where data was copied from.</summary>
    public string Source => Plan.Source;

    /// <summary>Where it was copied to.</summary>
    public string Destination => Plan.Destination;

    /// <summary>Files the plan copies.</summary>
    public int FilesToCopy => Plan.FilesToCopy;

    /// <summary>Bytes the plan copies.</summary>
    public long BytesToCopy => Plan.BytesToCopy;

    /// <summary>Days and files the plan does not write: their destination differs, or the source day holds a link or device.</summary>
    public int Conflicts => Plan.Conflicts;

    /// <summary>Nothing to copy: everything is already in place (or refused).</summary>
    public bool NothingToDo => Plan.NothingToDo;

    /// <summary>What the next prune will do to the migrated data under the retention policy, in plain words.</summary>
    public IReadOnlyList<string> RetentionNotes => Plan.RetentionNotes;

    /// <summary>The journal written, when not a dry run.</summary>
    public string? JournalPath { get; }

    /// <summary>
    /// Per day (<c>YYYYMMDD</c>), file of reports or metadata (<c>reports/name</c>) and skipped entry (its path),
    /// what happened in one word: <c>copied</c>, <c>skipped</c>, <c>conflict</c>, <c>refused</c> or <c>failed</c>.
    /// Empty for a dry run.
    /// </summary>
    public IReadOnlyDictionary<string, string> Outcomes { get; }

    /// <summary>Legacy days deleted after their copies were verified (<c>--delete-source</c>).</summary>
    public int SourcesDeleted => Entries.Count(entry => entry.SourceDeleted);

    /// <summary>Conflicts, manifest mismatches and failures, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Whether everything planned was done and verified.</summary>
    public bool Succeeded => Problems.Count == 0;

    internal MigrationPlan Plan { get; }

    internal IReadOnlyList<JournalEntry> Entries { get; }

    /// <summary>The plan in the words a person reads, one line each, as a live run showed it before its work.</summary>
    public IReadOnlyList<string> DescribePlan() => MigrationWording.Plan(Operation, Plan, DryRun);
}
