using System.Formats.Tar;
using System.Globalization;
using System.IO.Compression;
using System.Security.Cryptography;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The store as the model sees it after a step: every live file of every day (root-relative path → SHA-256),
/// every archive's contents, and what is left in <c>.staging/</c> and <c>.trash/</c>. Read with the BCL's tar and
/// gzip readers, not the library's, so a bug in the library's reader cannot hide one in its writer; day folders
/// are listed as bytes (<see cref="ByteNames"/>), so a name that is not UTF-8 is a file like any other, keyed by
/// its escaped path (<c>processed/20241026/\xE0\xF8\xE6.csv</c>) and listed in <see cref="NonUtf8"/>.
/// </summary>
internal sealed record StoreSnapshot(
    IReadOnlyDictionary<string, string> Live,
    IReadOnlyDictionary<string, ArchiveSnapshot> Archives,
    IReadOnlyList<string> Staging,
    IReadOnlyList<string> Trash,
    IReadOnlySet<string> NonUtf8,
    IReadOnlySet<string> PendingIndexes)
{
    public static StoreSnapshot Read(string root)
    {
        var live = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var nonUtf8 = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var area in new[] { "raw", "processed" })
        {
            var areaDirectory = Path.Combine(root, area);
            if (!Directory.Exists(areaDirectory))
            {
                continue;
            }

            foreach (var day in Directory.EnumerateDirectories(areaDirectory).Where(IsDayFolder))
            {
                var prefix = Relative(root, day) + "/";
                foreach (var (shown, path, utf8) in ByteNames.Files(day))
                {
                    live[prefix + shown] = Hash(ByteNames.ReadAll(path));
                    if (!utf8)
                    {
                        nonUtf8.Add(prefix + shown);
                    }
                }
            }
        }

        var archives = new SortedDictionary<string, ArchiveSnapshot>(StringComparer.Ordinal);
        var pending = new SortedSet<string>(StringComparer.Ordinal);
        var archiveDirectory = Path.Combine(root, "archive");
        if (Directory.Exists(archiveDirectory))
        {
            // A replace killed between publishing the archive and its index leaves the pending index beside them.
            pending.UnionWith(Directory.EnumerateFiles(archiveDirectory, "*.tar.gz.index.json.next")
                .Select(file => Path.GetFileName(file)[..8]));

            foreach (var archive in Directory.EnumerateFiles(archiveDirectory, "*.tar.gz"))
            {
                var day = Path.GetFileName(archive)[..^".tar.gz".Length];
                if (day.Length == 8 && day.All(char.IsAsciiDigit))
                {
                    archives[day] = ReadArchive(archive);
                }
            }
        }

        return new StoreSnapshot(live, archives, Entries(root, ".staging"), Entries(root, ".trash"), nonUtf8, pending);
    }

    public static string DayOf(string path) => path.Split('/')[1];

    public static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public IEnumerable<KeyValuePair<string, string>> LiveFilesOf(string day) =>
        Live.Where(file => DayOf(file.Key) == day);

    /// <summary>Days with a live file whose name is not UTF-8.</summary>
    public IReadOnlySet<string> NonUtf8Days => NonUtf8.Select(DayOf).ToHashSet(StringComparer.Ordinal);

    /// <summary>The file name of each live name that is not UTF-8 of <paramref name="day"/>, as a message must show it.</summary>
    public IEnumerable<string> NonUtf8NamesOf(string day) =>
        NonUtf8.Where(path => DayOf(path) == day).Select(path => path[(path.LastIndexOf('/') + 1)..]);

    private static List<string> Entries(string root, string folder)
    {
        var directory = Path.Combine(root, folder);
        return Directory.Exists(directory)
            ? [.. Directory.EnumerateFileSystemEntries(directory).Select(entry => Relative(root, entry)).Order(StringComparer.Ordinal)]
            : [];
    }

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
