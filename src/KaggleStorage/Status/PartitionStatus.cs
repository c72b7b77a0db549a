using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Status;

/// <summary>What the store holds of one day.</summary>
/// <param name="Date">The day.</param>
/// <param name="HasRaw">A <c>raw/YYYYMMDD</c> folder exists.</param>
/// <param name="HasProcessed">A <c>processed/YYYYMMDD</c> folder exists.</param>
/// <param name="Archived">An <c>archive/YYYYMMDD.tar.gz</c> exists.</param>
/// <param name="RawBytes">Size of the raw folder.</param>
/// <param name="ProcessedBytes">Size of the processed folder.</param>
/// <param name="ArchiveBytes">Size of the archive.</param>
/// <param name="Manifest">Health of the raw folder's download manifest (sizes checked, not hashes).</param>
/// <param name="ManifestProblems">What disagrees, when the manifest is invalid.</param>
public sealed record PartitionStatus(
    PartitionDate Date,
    bool HasRaw,
    bool HasProcessed,
    bool Archived,
    long RawBytes,
    long ProcessedBytes,
    long ArchiveBytes,
    ManifestHealth? Manifest,
    IReadOnlyList<string> ManifestProblems)
{
    /// <summary>
    /// Why the day's archive is stale, one line each (live files newer than it or not in it, an index that does not
    /// describe it); empty when it is current or there is none. A stale archive is a state, not damage: the next
    /// <c>archive --older-than</c>/<c>--all</c> or <c>prune</c> refreshes it, keeping every file it holds.
    /// </summary>
    public IReadOnlyList<string> ArchiveStale { get; init; } = [];

    /// <summary>
    /// What is wrong with the day's raw and processed folders themselves, one line each naming the path: a folder
    /// that cannot be read, or a link, fifo, socket or device inside. Empty when both read whole.
    /// </summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>
    /// When the day's archive was last proven whole: read end to end by <c>scrub</c>, or read back when it was
    /// written. Null without an archive, or when its index does not read.
    /// </summary>
    public DateTimeOffset? ArchiveVerifiedAtUtc { get; init; }

    /// <summary>Whether the last scrub of this very archive found it damaged or missing (archiving the day again clears it).</summary>
    public bool ArchiveScrubFailed { get; init; }

    /// <summary>What the last scrub found wrong, when it failed; one line each.</summary>
    public IReadOnlyList<string> ArchiveScrubProblems { get; init; } = [];
}
