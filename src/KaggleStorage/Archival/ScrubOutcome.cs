using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>What a scrub found for one archive.</summary>
public sealed record ScrubOutcome
{
    internal ScrubOutcome(
        PartitionDate Date, ScrubStatus Kind, string ArchiveLocation, string IndexPath, int EntriesChecked, IReadOnlyList<string> Problems, DateTimeOffset VerifiedAtUtc)
    {
        this.Date = Date;
        this.Kind = Kind;
        this.ArchiveLocation = ArchiveLocation;
        this.IndexPath = IndexPath;
        this.EntriesChecked = EntriesChecked;
        this.Problems = Problems;
        this.VerifiedAtUtc = VerifiedAtUtc;
    }

    /// <summary>The day.</summary>
    public PartitionDate Date { get; internal init; }

    /// <summary>
    /// What reading the archive found, one word: <c>sound</c> (every check <c>verify</c> makes passed),
    /// <c>damaged</c>, <c>missing</c> (the index points at no archive) or <c>skipped</c> (the day changed while it
    /// was read; nothing is judged).
    /// </summary>
    // The words are the ones --json has always written, so a machine reader sees no change.
    public string Status => Kind.ToString().ToLowerInvariant();

    /// <summary>The archive read.</summary>
    public string ArchiveLocation { get; internal init; }

    /// <summary>The index that points at it.</summary>
    public string IndexPath { get; internal init; }

    /// <summary>File entries read and hashed.</summary>
    public int EntriesChecked { get; internal init; }

    /// <summary>What is wrong, one line each; for a skipped day, why it was skipped.</summary>
    public IReadOnlyList<string> Problems { get; internal init; }

    /// <summary>When the reading ended.</summary>
    public DateTimeOffset VerifiedAtUtc { get; internal init; }

    /// <summary>Whether the archive is damaged or missing.</summary>
    public bool Failed => Kind is ScrubStatus.Damaged or ScrubStatus.Missing;

    internal ScrubStatus Kind { get; init; }
}
