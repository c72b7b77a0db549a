using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>What a scrub found for one archive.</summary>
/// <param name="Date">The day.</param>
/// <param name="Status">Sound, damaged, missing or skipped.</param>
/// <param name="ArchiveLocation">The archive read.</param>
/// <param name="IndexPath">The index that points at it.</param>
/// <param name="EntriesChecked">File entries read and hashed.</param>
/// <param name="Problems">What is wrong, one line each; for a skipped day, why it was skipped.</param>
/// <param name="VerifiedAtUtc">When the reading ended.</param>
public sealed record ScrubOutcome(
    PartitionDate Date, ScrubStatus Status, string ArchiveLocation, string IndexPath, int EntriesChecked, IReadOnlyList<string> Problems, DateTimeOffset VerifiedAtUtc)
{
    /// <summary>Whether the archive is damaged or missing.</summary>
    public bool Failed => Status is ScrubStatus.Damaged or ScrubStatus.Missing;
}
