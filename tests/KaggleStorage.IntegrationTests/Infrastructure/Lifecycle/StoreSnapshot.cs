using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The store as the model sees it after a step: every live file of every day (root-relative path → SHA-256),
/// every archive's contents, and what is left in <c>.staging/</c>. Read with the BCL's tar and gzip readers, not
/// the library's, so a bug in the library's reader cannot hide one in its writer.
/// </summary>
internal sealed record StoreSnapshot(
    IReadOnlyDictionary<string, string> Live,
    IReadOnlyDictionary<string, ArchiveSnapshot> Archives,
    IReadOnlyList<string> Staging)
{
    public static StoreSnapshot Read(string root)
    {
        var live = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var area in new[] { "raw", "processed" })
        {
            var areaDirectory = Path.Combine(root, area);
            if (!Directory.Exists(areaDirectory))
            {
                continue;
            }

            foreach (var day in Directory.EnumerateDirectories(areaDirectory).Where(IsDayFolder))
            {
                foreach (var file in Directory.EnumerateFiles(day, "*", SearchOption.AllDirectories))
                {
                    live[Relative(root, file)] = Hash(File.ReadAllBytes(file));
                }
            }
        }

        var archives = new SortedDictionary<string, ArchiveSnapshot>(StringComparer.Ordinal);
        var archiveDirectory = Path.Combine(root, "archive");
        if (Directory.Exists(archiveDirectory))
        {
            foreach (var archive in Directory.EnumerateFiles(archiveDirectory, "*.tar.gz"))
            {
                var day = Path.GetFileName(archive)[..^".tar.gz".Length];
                if (day.Length == 8 && day.All(char.IsAsciiDigit))
                {
                    archives[day] = ReadArchive(archive);
                }
            }
        }

        var stagingDirectory = Path.Combine(root, ".staging");
        var staging = Directory.Exists(stagingDirectory)
            ? Directory.EnumerateFileSystemEntries(stagingDirectory).Select(entry => Relative(root, entry)).Order(StringComparer.Ordinal).ToList()
            : [];
        return new StoreSnapshot(live, archives, staging);
    }

    public static string DayOf(string path) => path.Split('/')[1];

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public IEnumerable<KeyValuePair<string, string>> LiveFilesOf(string day) =>
        Live.Where(file => DayOf(file.Key) == day);

    private static ArchiveSnapshot ReadArchive(string path)
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var file = File.OpenRead(path);
            using var gzip = new GZipStream(file, CompressionMode.Decompress);
            using var tar = new TarReader(gzip);
            while (tar.GetNextEntry() is { } entry)
            {
                if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                {
                    var name = entry.Name.StartsWith("./", StringComparison.Ordinal) ? entry.Name[2..] : entry.Name;
                    using var content = new MemoryStream();
                    entry.DataStream?.CopyTo(content);
                    files[name] = Hash(content.ToArray());
                }
            }

            return new ArchiveSnapshot(files, null);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException or FormatException)
        {
            return new ArchiveSnapshot(files, $"{exception.GetType().Name}: {exception.Message}");
        }
    }

    private static bool IsDayFolder(string path) =>
        DateOnly.TryParseExact(Path.GetFileName(path), "yyyyMMdd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');
}
