using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>The names of a day's objects in an archive store, and the day a name belongs to.</summary>
internal static class ArchiveNames
{
    public static string Archive(PartitionDate date) => date + ArchiveFormat.Suffix;

    public static string Index(PartitionDate date) => Archive(date) + ArchiveIndex.Suffix;

    /// <summary>
    /// The index of an archive being published: it exists from before the archive is replaced until after the final
    /// index is written, so a kill between the two publishes leaves a mark that the pair cannot be trusted.
    /// </summary>
    public static string PendingIndex(PartitionDate date) => Index(date) + ".next";

    /// <summary>The day an archive name such as <c>20241026.tar.gz</c> belongs to.</summary>
    public static bool TryParseArchive(string name, out PartitionDate date)
    {
        ArgumentNullException.ThrowIfNull(name);
        return PartitionDate.TryParseName(name, ArchiveFormat.Suffix, out date);
    }

    /// <summary>The day of an archive (<c>YYYYMMDD.tar.gz</c>) or of a file that belongs to one (<c>YYYYMMDD.tar.gz.*</c>).</summary>
    public static bool TryParse(string name, out PartitionDate date, out bool isArchive)
    {
        isArchive = TryParseArchive(name, out date);
        if (isArchive)
        {
            return true;
        }

        return PartitionDate.TryParseLeading(name, out date, out var rest) && rest.StartsWith(ArchiveFormat.Suffix + ".", StringComparison.Ordinal);
    }
}
