namespace KaggleStorage.Migration;

/// <summary>
/// What a migration (or rollback) will do, decided before anything is written: a value to print
/// (<c>--dry-run</c>), test, and then carry out.
/// </summary>
/// <param name="Source">Where data is copied from.</param>
/// <param name="Destination">Where it is copied to.</param>
/// <param name="Partitions">Every day found, oldest first.</param>
/// <param name="AreaFiles">Files of the reports and metadata folders.</param>
/// <param name="Strays">Entries of the source that are not days, with the reason (reported, never copied or dropped silently).</param>
internal sealed record MigrationPlan(
    string Source,
    string Destination,
    IReadOnlyList<PlannedPartition> Partitions,
    IReadOnlyList<PlannedAreaFile> AreaFiles,
    IReadOnlyList<SkippedEntry> Strays)
{
    /// <summary>Files that will be copied.</summary>
    public int FilesToCopy => Partitions.Where(p => p.Action == MigrationAction.Copy).Sum(p => p.Files.Count)
        + AreaFiles.Count(f => f.File.Action == MigrationAction.Copy);

    /// <summary>Bytes that will be copied.</summary>
    public long BytesToCopy => Partitions.Where(p => p.Action == MigrationAction.Copy).Sum(p => p.Files.Sum(f => f.SizeBytes))
        + AreaFiles.Where(f => f.File.Action == MigrationAction.Copy).Sum(f => f.File.SizeBytes);

    /// <summary>
    /// Partitions and files that will not be written: their destination differs (never overwritten), or the source
    /// day holds a link, fifo, socket or device (refused).
    /// </summary>
    public int Conflicts => Partitions.Count(p => p.Action is MigrationAction.Conflict or MigrationAction.Refused)
        + AreaFiles.Count(f => f.File.Action == MigrationAction.Conflict);

    /// <summary>
    /// What the next prune will do to the migrated data under the retention policy, in plain words: old data
    /// migrated into a store whose retention is shorter than its age is archived and deleted (or deleted) by the
    /// next nightly prune without anyone having asked. Empty when nothing migrated is past retention.
    /// </summary>
    public IReadOnlyList<string> RetentionNotes { get; init; } = [];

    /// <summary>Whether running the plan would change nothing.</summary>
    public bool NothingToDo => FilesToCopy == 0;
}
