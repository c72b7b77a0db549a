using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// The last reading of one day's archive. It belongs to the archive its index described when the reading began
/// (<see cref="ArchiveSha256"/> and <see cref="IndexCreatedAtUtc"/>, both null when there was no readable index):
/// once the day is archived again, the entry no longer applies and the new archive's read-back is its proof.
/// </summary>
internal sealed record ScrubRecordEntry(
    PartitionDate Day,
    string? ArchiveSha256,
    DateTimeOffset? IndexCreatedAtUtc,
    DateTimeOffset VerifiedAtUtc,
    bool Passed,
    DateTimeOffset? LastPassedAtUtc,
    IReadOnlyList<string> Problems)
{
    public bool Describes(ArchiveIndex? index) =>
        string.Equals(ArchiveSha256, index?.ArchiveSha256, StringComparison.Ordinal) && IndexCreatedAtUtc == index?.CreatedAtUtc;
}
