using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Where the download records the days it found the dataset unchanged (<c>metadata/downloads/YYYYMMDD.json</c>,
/// each a <see cref="DownloadCheck"/>), which count as covered rather than missing.
/// </summary>
internal static class DownloadCheckFolder
{
    public static string PathOf(StorageLayout layout, IFileSystem fileSystem) =>
        fileSystem.Path.Combine(layout.GetAreaPath(StorageArea.Metadata), "downloads");

    public static string PathOf(StorageLayout layout, IFileSystem fileSystem, PartitionDate date) =>
        fileSystem.Path.Combine(PathOf(layout, fileSystem), $"{date}.json");

    /// <summary>The days the download found the dataset unchanged, oldest first.</summary>
    public static IReadOnlyList<PartitionDate> List(StorageLayout layout, IFileSystem fileSystem)
    {
        var folder = PathOf(layout, fileSystem);
        return fileSystem.Directory.Exists(folder)
            ? fileSystem.Directory.EnumerateFiles(folder, "*.json")
                .Select(path => PartitionDate.TryParseName(fileSystem.Path.GetFileName(path), ".json", out var date) ? date : (PartitionDate?)null)
                .OfType<PartitionDate>()
                .Order()
                .ToList()
            : [];
    }
}
