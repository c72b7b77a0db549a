using KaggleStorage.Errors;
using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// How a person names one file of a day: a bare name is a file of the day's raw folder (<c>price_file_x.csv</c> means
/// <c>raw/YYYYMMDD/price_file_x.csv</c>), since that is where nearly every file of a day is; anything with a slash is
/// a path relative to the store root (<c>processed/YYYYMMDD/load_summary.json</c>).
/// </summary>
internal static class DayFileNames
{
    /// <summary>The root-relative path <paramref name="name"/> stands for in <paramref name="date"/>.</summary>
    /// <exception cref="StorageInputException">The name is empty, absolute, or climbs out with <c>..</c>.</exception>
    public static string Resolve(PartitionDate date, string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length == 0 || name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal)
            || name.Split('/').Any(segment => segment is "" or "." or ".."))
        {
            throw new StorageInputException(
                $"'{name}' is not a file of a day: give a name in raw/{date} (e.g. price_file_x.csv) or a path relative to the store root (e.g. processed/{date}/load_summary.json).");
        }

        return name.Contains('/', StringComparison.Ordinal) ? name : $"{StorageArea.Raw.GetFolderName()}/{date}/{name}";
    }
}
