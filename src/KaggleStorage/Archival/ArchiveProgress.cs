using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>Progress of an archive run.</summary>
/// <param name="Date">The day being archived.</param>
/// <param name="DayIndex">Its position in the run, from 1.</param>
/// <param name="DayCount">Days in the run.</param>
/// <param name="BytesRead">Source bytes of this day read so far.</param>
/// <param name="BytesTotal">Source bytes of this day.</param>
/// <param name="Completed">Set once, when the day is done (archived, identical or failed), so it can be told at once.</param>
public sealed record ArchiveProgress(PartitionDate Date, int DayIndex, int DayCount, long BytesRead, long BytesTotal, ArchiveOutcome? Completed = null);
