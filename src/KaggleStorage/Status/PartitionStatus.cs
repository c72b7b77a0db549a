using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Status;

/// <summary>What the store holds of one day.</summary>
public sealed record PartitionStatus
{
    internal PartitionStatus(PartitionDate Date, bool HasRaw, bool HasProcessed, bool Archived, long RawBytes, long ProcessedBytes, long ArchiveBytes, ManifestHealth? Manifest, IReadOnlyList<string> ManifestProblems)
    {
        this.Date = Date;
        this.HasRaw = HasRaw;
        this.HasProcessed = HasProcessed;
        this.Archived = Archived;
        this.RawBytes = RawBytes;
        this.ProcessedBytes = ProcessedBytes;
        this.ArchiveBytes = ArchiveBytes;
        this.Manifest = Manifest;
        this.ManifestProblems = ManifestProblems;
    }

    /// <summary>The day.</summary>
    public PartitionDate Date { get; internal init; }

    /// <summary>A <c>raw/YYYYMMDD</c> folder exists.</summary>
    public bool HasRaw { get; internal init; }

    /// <summary>A <c>processed/YYYYMMDD</c> folder exists.</summary>
    public bool HasProcessed { get; internal init; }

    /// <summary>An <c>archive/YYYYMMDD.tar.gz</c> exists.</summary>
    public bool Archived { get; internal init; }

    /// <summary>Size of the raw folder.</summary>
    public long RawBytes { get; internal init; }

    /// <summary>Size of the processed folder.</summary>
    public long ProcessedBytes { get; internal init; }

    /// <summary>Size of the archive.</summary>
    public long ArchiveBytes { get; internal init; }

    /// <summary>Health of the raw folder's download manifest (sizes checked, not hashes).</summary>
    public ManifestHealth? Manifest { get; internal init; }

    /// <summary>What disagrees, when the manifest is invalid.</summary>
    public IReadOnlyList<string> ManifestProblems { get; internal init; }

    /// <summary>
    /// Why the day's archive is stale, one line each (live files newer than it or not in it, an index that does not
    /// describe it); empty when it is current or there is none. A stale archive is a state, not damage: the next
    /// <c>archive --older-than</c>/<c>--all</c> or <c>prune</c> refreshes it, keeping every file it holds.
    /// </summary>
    public IReadOnlyList<string> ArchiveStale { get; internal init; } = [];

    /// <summary>
    /// What is wrong with the day's raw and processed folders themselves, one line each naming the path: a folder
    /// that cannot be read, or a link, fifo, socket or device inside. Empty when both read whole.
    /// </summary>
    public IReadOnlyList<string> Problems { get; internal init; } = [];

    /// <summary>
    /// When the day's archive was last proven whole: read end to end by <c>scrub</c>, or read back when it was
    /// written. Null without an archive, or when its index does not read.
    /// </summary>
    public DateTimeOffset? ArchiveVerifiedAtUtc { get; internal init; }

    /// <summary>Whether the last scrub of this very archive found it damaged or missing (archiving the day again clears it).</summary>
    public bool ArchiveScrubFailed { get; internal init; }

    /// <summary>What the last scrub found wrong, when it failed; one line each.</summary>
    public IReadOnlyList<string> ArchiveScrubProblems { get; internal init; } = [];
}
