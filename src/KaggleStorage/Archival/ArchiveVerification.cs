using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>The result of checking one day's archive.</summary>
/// <param name="Date">The day.</param>
/// <param name="ArchiveLocation">The archive checked.</param>
/// <param name="EntriesChecked">File entries read and hashed.</param>
/// <param name="LiveFilesChecked">Files still present in raw/processed that were compared with the archive.</param>
/// <param name="Problems">Every mismatch, one line each; empty when the archive is sound.</param>
/// <param name="Files">The files the archive holds as read and hashed now, in archive order.</param>
public sealed record ArchiveVerification(
    PartitionDate Date, string ArchiveLocation, int EntriesChecked, int LiveFilesChecked, IReadOnlyList<string> Problems,
    IReadOnlyList<ArchiveIndexEntry> Files)
{
    /// <summary>Whether nothing is wrong.</summary>
    public bool IsValid => Problems.Count == 0;

    /// <summary>
    /// Live files newer than the archive or not in it, one line each: the archive is stale, not damaged, and the next
    /// <c>archive</c> (<c>--older-than</c>, <c>--all</c>) or <c>prune</c> refreshes it.
    /// </summary>
    public IReadOnlyList<string> Stale { get; init; } = [];
}
