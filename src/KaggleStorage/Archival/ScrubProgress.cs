using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>Progress of a scrub: reported when an archive's reading begins and again when it ends.</summary>
/// <param name="Date">The day being read.</param>
/// <param name="DayIndex">Its position in the scrub, from 1.</param>
/// <param name="DayCount">Archives in the scrub.</param>
/// <param name="Completed">Set when the reading ended.</param>
public sealed record ScrubProgress(PartitionDate Date, int DayIndex, int DayCount, ScrubOutcome? Completed = null);
