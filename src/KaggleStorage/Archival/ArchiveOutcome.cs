using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>The result of archiving one day.</summary>
/// <param name="Date">The day.</param>
/// <param name="Status">What happened.</param>
/// <param name="ArchiveLocation">The archive's path.</param>
/// <param name="SourceBytes">Bytes of the files archived.</param>
/// <param name="ArchiveBytes">Size of the archive (0 when none was written).</param>
/// <param name="Files">Number of files in the archive.</param>
/// <param name="Error">Why it failed or was skipped, when it was.</param>
public sealed record ArchiveOutcome(
    PartitionDate Date, ArchiveStatus Status, string ArchiveLocation, long SourceBytes, long ArchiveBytes, int Files, string? Error = null)
{
    /// <summary>Files that are no longer live and were carried over from the day's previous archive.</summary>
    public int CarriedOver { get; init; }
}
