namespace KaggleStorage.Archival;

/// <summary>What a scrub will read: the archives whose last successful verification is oldest.</summary>
/// <param name="Days">The archives to read, least recently proven first; days whose archive is missing while its index exists come first.</param>
/// <param name="ArchiveCount">Archives in the store.</param>
/// <param name="CycleDays">The cycle in which every archive is read at least once (<see cref="ScrubOptions.CycleDays"/>).</param>
/// <param name="Overdue">Archives not proven within the cycle when the plan was made.</param>
public sealed record ScrubPlan(IReadOnlyList<PlannedScrub> Days, int ArchiveCount, int CycleDays, int Overdue)
{
    /// <summary>The bytes the scrub reads.</summary>
    public long TotalBytes => Days.Sum(day => day.SizeBytes);
}
