using KaggleStorage.Errors;
using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// Where a day lives in the store: its <c>raw</c> or <c>processed</c> folder, or its archive (a path, or
/// <c>s3://bucket/key</c> with the S3 archive store). It says where, not whether anything is there.
/// </summary>
public sealed class DayLocator
{
    private readonly StorageLayout _layout;
    private readonly PartitionArchiver _archiver;

    // Internal: it is built from machinery the library keeps to itself; hosts get it from AddKaggleStorage.
    internal DayLocator(StorageLayout layout, PartitionArchiver archiver)
    {
        _layout = layout;
        _archiver = archiver;
    }

    /// <summary>Where <paramref name="date"/> of <paramref name="area"/> lives.</summary>
    /// <exception cref="StorageInputException">
    /// The area has no days (reports, metadata), or the store does not exist: a path into a store that is not there
    /// would send a script to write beside a mistyped root.
    /// </exception>
    public string Locate(StorageArea area, PartitionDate date)
    {
        if (!area.IsPartitioned() && area != StorageArea.Archive)
        {
            throw new StorageInputException($"The {area.GetFolderName()} area has no days; a day lives in raw, processed or archive.");
        }

        _layout.EnsureExists();
        return area == StorageArea.Archive ? _archiver.DescribeArchive(date) : _layout.GetDateDirectory(area, date);
    }
}
