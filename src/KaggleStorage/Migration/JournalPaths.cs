using System.Globalization;
using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.Migration;

/// <summary>Names and finds journals in <c>metadata/migrations/</c>.</summary>
internal static class JournalPaths
{
    public static string Directory(StorageLayout layout, IFileSystem fileSystem) =>
        fileSystem.Path.Combine(layout.GetAreaPath(StorageArea.Metadata), MigrationJournal.FolderName);

    public static string NewJournalPath(StorageLayout layout, IFileSystem fileSystem, TimeProvider timeProvider)
    {
        var directory = Directory(layout, fileSystem);
        var stamp = timeProvider.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        var path = fileSystem.Path.Combine(directory, stamp + ".json");
        for (var n = 1; fileSystem.File.Exists(path); n++)
        {
            path = fileSystem.Path.Combine(directory, $"{stamp}-{n}.json");
        }

        return path;
    }

    /// <summary>Journal files, newest first: by the time stamp in the name, then the collision number.</summary>
    public static IEnumerable<string> NewestFirst(StorageLayout layout, IFileSystem fileSystem)
    {
        var directory = Directory(layout, fileSystem);
        return fileSystem.Directory.Exists(directory)
            ? fileSystem.Directory.EnumerateFiles(directory, "*.json")
                .Select(path => (Path: path, Name: fileSystem.Path.GetFileNameWithoutExtension(path)))
                .Where(file => !file.Name.StartsWith('.'))
                .OrderByDescending(file => file.Name.Split('-')[0], StringComparer.Ordinal)
                .ThenByDescending(file => int.TryParse(file.Name.Split('-').ElementAtOrDefault(1), out var n) ? n : 0)
                .Select(file => file.Path)
            : [];
    }
}
