using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>The result of archiving one day.</summary>
public sealed record ArchiveOutcome
{
    internal ArchiveOutcome(
        PartitionDate Date, ArchiveStatus Kind, string ArchiveLocation, long SourceBytes, long ArchiveBytes, int Files, string? Error = null)
    {
        this.Date = Date;
        this.Kind = Kind;
        this.ArchiveLocation = ArchiveLocation;
        this.SourceBytes = SourceBytes;
        this.ArchiveBytes = ArchiveBytes;
        this.Files = Files;
        this.Error = Error;
    }

    /// <summary>The day.</summary>
    public PartitionDate Date { get; internal init; }

    /// <summary>
    /// What happened, one word: <c>created</c>, <c>identical</c> (an archive with exactly these bytes existed),
    /// <c>replaced</c> (live files that differed without being newer won, with force), <c>refreshed</c> (a stale
    /// archive was replaced), <c>skipped</c> (no longer needed when the run reached it) or <c>failed</c>.
    /// </summary>
    // The words are the ones --json has always written, so a machine reader sees no change.
    public string Status => Kind.ToString().ToLowerInvariant();

    /// <summary>The archive's location.</summary>
    public string ArchiveLocation { get; internal init; }

    /// <summary>Bytes of the files archived.</summary>
    public long SourceBytes { get; internal init; }

    /// <summary>Size of the archive (0 when none was written).</summary>
    public long ArchiveBytes { get; internal init; }

    /// <summary>Number of files in the archive.</summary>
    public int Files { get; internal init; }

    /// <summary>Why it failed or was skipped, when it was.</summary>
    public string? Error { get; internal init; }

    /// <summary>Files that are no longer live and were carried over from the day's previous archive.</summary>
    public int CarriedOver { get; internal init; }

    internal ArchiveStatus Kind { get; init; }

    internal bool Failed => Kind == ArchiveStatus.Failed;
}
