namespace KaggleStorage.IO;

/// <summary>
/// The one comparison of an expected set of files with an actual one — a manifest with a day, an index with an
/// archive, an archive with the live files, a source tree with its copy. Names pair ordinally; a pair whose
/// lengths differ is never hashed; SHA-256 hex compares without regard to case.
/// </summary>
internal static class FileSetComparer
{
    /// <summary>Compares by name, size and the hashes both sides already carry.</summary>
    public static FileSetComparison Compare(IEnumerable<FileSetEntry> expected, IEnumerable<FileSetEntry> actual) =>
        CompareAsync(expected, actual, hash: null, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary>
    /// Compares by name and size, then, for pairs of equal length, by SHA-256: a side without a hash is hashed by
    /// <paramref name="hash"/> only when it is needed (the other side has a hash, or is hashed too). A file that
    /// cannot be read (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>) is an
    /// <see cref="FileDifferenceKind.Unreadable"/> difference, and the rest is still compared.
    /// </summary>
    /// <param name="expected">What should be there; a name listed twice is missing the second time.</param>
    /// <param name="actual">What is there.</param>
    /// <param name="hash">Hashes one entry's file; null compares only the hashes the entries carry.</param>
    /// <param name="cancellationToken">Cancels between and inside hashes.</param>
    public static async Task<FileSetComparison> CompareAsync(
        IEnumerable<FileSetEntry> expected,
        IEnumerable<FileSetEntry> actual,
        Func<FileSetEntry, CancellationToken, Task<string>>? hash,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var actualList = actual.ToList();
        var paired = new bool[actualList.Count];
        // A name the actual side holds twice (a tar may) pairs once; the second copy is an extra.
        var remaining = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = actualList.Count - 1; i >= 0; i--)
        {
            remaining[actualList[i].Name] = i;
        }

        var differences = new List<FileDifference>();
        var same = new List<(FileSetEntry, FileSetEntry)>();
        foreach (var listed in expected)
        {
            var want = listed;
            cancellationToken.ThrowIfCancellationRequested();
            if (!remaining.Remove(want.Name, out var at))
            {
                differences.Add(new FileDifference(FileDifferenceKind.Missing, want.Name, want, null));
                continue;
            }

            paired[at] = true;
            var found = actualList[at];
            if (want.SizeBytes != found.SizeBytes)
            {
                differences.Add(new FileDifference(FileDifferenceKind.SizeDiffers, want.Name, want, found));
                continue;
            }

            try
            {
                (want, found) = await HashPairAsync(want, found, hash, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                differences.Add(new FileDifference(FileDifferenceKind.Unreadable, want.Name, want, found, exception));
                continue;
            }

            if (want.Sha256 is { } a && found.Sha256 is { } b && !string.Equals(a, b, StringComparison.OrdinalIgnoreCase))
            {
                differences.Add(new FileDifference(FileDifferenceKind.HashDiffers, want.Name, want, found));
                continue;
            }

            same.Add((want, found));
        }

        differences.AddRange(actualList
            .Where((_, i) => !paired[i])
            .Select(entry => new FileDifference(FileDifferenceKind.Extra, entry.Name, null, entry)));
        return new FileSetComparison(differences, same);
    }

    private static async Task<(FileSetEntry Expected, FileSetEntry Actual)> HashPairAsync(
        FileSetEntry want, FileSetEntry found, Func<FileSetEntry, CancellationToken, Task<string>>? hash, CancellationToken cancellationToken)
    {
        // Without a hasher only the hashes already known are compared; with one, a side without a hash is hashed
        // when the other side has one or can be hashed too, the actual side first (usually the one nobody hashed yet).
        if (hash is null || (want.Sha256 is null && want.Path is null) || (found.Sha256 is null && found.Path is null))
        {
            return (want, found);
        }

        if (found.Sha256 is null)
        {
            found = found with { Sha256 = await hash(found, cancellationToken) };
        }

        if (want.Sha256 is null)
        {
            want = want with { Sha256 = await hash(want, cancellationToken) };
        }

        return (want, found);
    }
}
