using System.Runtime.ExceptionServices;

namespace KaggleStorage.IO;

/// <summary>
/// The outcome of comparing an expected set of files with an actual one (<see cref="FileSetComparer"/>): which
/// names are missing, extra, or there with other bytes, and which are the same on both sides.
/// </summary>
/// <param name="Differences">
/// Missing, size, hash and unreadable differences in the order of the expected side, then the extras in the order of
/// the actual side; callers that report in another order sort by <see cref="FileDifference.Name"/>.
/// </param>
/// <param name="Same">The pairs found equal, in the order of the expected side.</param>
internal sealed record FileSetComparison(
    IReadOnlyList<FileDifference> Differences, IReadOnlyList<(FileSetEntry Expected, FileSetEntry Actual)> Same)
{
    /// <summary>True when both sides hold the same names with the same bytes (as far as sizes and known hashes tell).</summary>
    public bool IsEqual => Differences.Count == 0;

    /// <summary>Names expected but not there.</summary>
    public IEnumerable<FileDifference> Missing => Of(FileDifferenceKind.Missing);

    /// <summary>Names there but not expected.</summary>
    public IEnumerable<FileDifference> Extra => Of(FileDifferenceKind.Extra);

    /// <summary>Names on both sides whose files differ, in size or in hash (or could not be read to tell).</summary>
    public IEnumerable<FileDifference> Changed =>
        Differences.Where(difference => difference.Kind is not (FileDifferenceKind.Missing or FileDifferenceKind.Extra));

    /// <summary>How many names are on both sides, equal or not.</summary>
    public int Paired => Same.Count + Changed.Count();

    /// <summary>
    /// Rethrows the first read failure, for callers to whom a file that cannot be read is an error of the whole
    /// operation rather than one difference among others.
    /// </summary>
    public FileSetComparison ThrowIfUnreadable()
    {
        if (Of(FileDifferenceKind.Unreadable).FirstOrDefault() is { Error: { } error })
        {
            ExceptionDispatchInfo.Throw(error);
        }

        return this;
    }

    private IEnumerable<FileDifference> Of(FileDifferenceKind kind) => Differences.Where(difference => difference.Kind == kind);
}
