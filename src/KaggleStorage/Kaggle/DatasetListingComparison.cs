using KaggleStorage.IO;

namespace KaggleStorage.Kaggle;

/// <summary>
/// The files a downloaded zip extracted to, set against the files Kaggle lists for that version (all pages):
/// every listed file must be there with its listed size (names only where Kaggle gives no size), and no file at the
/// day's top level may be unlisted. A file inside a folder that the listing does not name is tolerated, because
/// Kaggle's listing is known to leave out files in folders; it is counted so the log can say so.
/// </summary>
/// <param name="Missing">Listed but not in the zip.</param>
/// <param name="Unlisted">In the zip at the top level but not listed.</param>
/// <param name="SizeDiffers">In both, with another size: name, extracted size, listed size.</param>
/// <param name="UnlistedInFolders">In the zip inside a folder but not listed (tolerated).</param>
/// <param name="Empty">The zip extracted to no file at all.</param>
internal sealed record DatasetListingComparison(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unlisted,
    IReadOnlyList<(string Name, long Extracted, long Listed)> SizeDiffers,
    IReadOnlyList<string> UnlistedInFolders,
    bool Empty)
{
    private const int Named = 3;

    /// <summary>Whether the zip may be published.</summary>
    public bool Matches => !Empty && Missing.Count == 0 && Unlisted.Count == 0 && SizeDiffers.Count == 0;

    public static DatasetListingComparison Compare(IReadOnlyList<KaggleFileInfo> listed, IReadOnlyList<DayFile> extracted)
    {
        var expected = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var file in listed)
        {
            // A name listed twice is one file; a size given once is the size.
            expected[file.Name] = file.TotalBytes ?? (expected.TryGetValue(file.Name, out var known) ? known : null);
        }

        var unlisted = new List<string>();
        var inFolders = new List<string>();
        var sizes = new List<(string, long, long)>();
        foreach (var file in extracted)
        {
            if (!expected.Remove(file.Name, out var size))
            {
                (file.Name.Contains('/', StringComparison.Ordinal) ? inFolders : unlisted).Add(file.Name);
            }
            else if (size is { } listedSize && listedSize != file.SizeBytes)
            {
                sizes.Add((file.Name, file.SizeBytes, listedSize));
            }
        }

        return new DatasetListingComparison(
            [.. expected.Keys.Order(StringComparer.Ordinal)],
            [.. unlisted.Order(StringComparer.Ordinal)],
            [.. sizes.OrderBy(s => s.Item1, StringComparer.Ordinal)],
            [.. inFolders.Order(StringComparer.Ordinal)],
            extracted.Count == 0);
    }

    /// <summary>What does not match, in one line: counts, and the first few names of each kind.</summary>
    public string Describe()
    {
        if (Empty)
        {
            return "it holds no files";
        }

        var parts = new List<string>();
        if (Missing.Count > 0)
        {
            parts.Add($"{Quantity.Of(Missing.Count, "listed file")} missing from the zip ({Names(Missing, name => name)})");
        }

        if (Unlisted.Count > 0)
        {
            parts.Add($"{Quantity.Of(Unlisted.Count, "file")} in the zip that Kaggle does not list ({Names(Unlisted, name => name)})");
        }

        if (SizeDiffers.Count > 0)
        {
            parts.Add($"{Quantity.Of(SizeDiffers.Count, "file")} of another size than listed ({Names(SizeDiffers, s => $"{s.Name}: {s.Extracted} bytes, listed {s.Listed}")})");
        }

        return string.Join("; ", parts);
    }

    private static string Names<T>(IReadOnlyList<T> items, Func<T, string> describe)
    {
        var shown = string.Join(", ", items.Take(Named).Select(item => EntryNameText.Escape(describe(item))));
        return items.Count > Named ? $"{shown} and {items.Count - Named} more" : shown;
    }
}
