namespace KaggleStorage.Migration;

/// <summary>Progress of a migration or rollback.</summary>
/// <param name="FilesDone">Files copied so far.</param>
/// <param name="FilesTotal">Files to copy.</param>
/// <param name="BytesDone">Bytes copied so far.</param>
/// <param name="BytesTotal">Bytes to copy.</param>
/// <param name="BytesPerSecond">Average rate since the copy started.</param>
/// <param name="Current">What is being copied.</param>
/// <param name="Plan">Set on the first report only: the plan about to be carried out, so it can be shown before the work.</param>
/// <param name="Completed">Set when a day or file is done, so it can be told at once.</param>
public sealed record MigrationProgress(
    int FilesDone, int FilesTotal, long BytesDone, long BytesTotal, double BytesPerSecond, string Current,
    MigrationPlan? Plan = null, JournalEntry? Completed = null);
