using System.Formats.Tar;
using System.IO.Abstractions;
using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>
/// Writes the tar stream of one day: directory and file entries under root-relative paths, sorted by ordinal
/// path, with the source's permission bits and modification times and nothing machine-specific (uid/gid 0, no
/// user or group names, no access or change times), so the same files always give the same bytes.
/// </summary>
internal sealed class PartitionTarWriter(IFileSystem fileSystem)
{
    /// <summary>
    /// Writes the given day folders (root-relative, e.g. <c>raw/20241026</c>, with what they hold) and the files
    /// <paramref name="carried"/> over from the day's previous archive to <paramref name="output"/>, and returns the
    /// index of the files written.
    /// </summary>
    public async Task<IReadOnlyList<ArchiveIndexEntry>> WriteAsync(
        IReadOnlyList<(string RelativeDirectory, DayContents Contents)> days,
        ArchiveCarryOver carried,
        Stream output,
        IProgress<long>? bytesProgress,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(carried);
        var live = days.SelectMany(day => Enumerate(day.RelativeDirectory, day.Contents)).ToList();
        var livePaths = live.Select(entry => entry.ArchivePath).ToHashSet(StringComparer.Ordinal);
        var entries = live
            .Concat(EnumerateCarried(carried.Entries).Where(entry => !livePaths.Contains(entry.ArchivePath)))
            .OrderBy(entry => entry.ArchivePath, StringComparer.Ordinal)
            .ToList();

        var index = new List<ArchiveIndexEntry>();
        long written = 0;
        var counted = new CountingWriteStream(output);
        await using var tar = new TarWriter(counted, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var planned in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (archivePath, fullPath, isDirectory) = (planned.ArchivePath, planned.FullPath, planned.IsDirectory);
            var entry = CreateEntry(isDirectory ? TarEntryType.Directory : TarEntryType.RegularFile, archivePath);
            if (planned.Carried is { } carriedEntry)
            {
                entry.Mode = ParseMode(carriedEntry.Mode);
                entry.ModificationTime = carriedEntry.ModifiedUtc;
                if (isDirectory)
                {
                    await tar.WriteEntryAsync(entry, cancellationToken);
                    continue;
                }

                var data = await carried.OpenAsync(carriedEntry, cancellationToken);
                using (data)
                {
                    entry.DataStream = data;
                    await tar.WriteEntryAsync(entry, cancellationToken);
                    carried.EnsureIntact(data, carriedEntry);
                }

                index.Add(carriedEntry with { Path = archivePath, DataOffset = DataOffsetOf(counted, carriedEntry.SizeBytes) });
                written += carriedEntry.SizeBytes;
                bytesProgress?.Report(written);
                continue;
            }

            IFileSystemInfo info = isDirectory ? fileSystem.DirectoryInfo.New(fullPath!) : fileSystem.FileInfo.New(fullPath!);
            var mode = ReadMode(fullPath!, isDirectory);
            var modified = TruncateToSeconds(info.LastWriteTimeUtc);
            entry.Mode = mode;
            entry.ModificationTime = modified;
            if (isDirectory)
            {
                await tar.WriteEntryAsync(entry, cancellationToken);
                continue;
            }

            await using var stream = new HashingReadStream(fileSystem.FileStream.New(
                fullPath!, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true));
            var length = stream.Length;
            entry.DataStream = stream;
            await tar.WriteEntryAsync(entry, cancellationToken);
            if (stream.BytesRead != length)
            {
                throw new IOException($"'{fullPath}' changed size while it was being archived.");
            }

            index.Add(new ArchiveIndexEntry(archivePath, length, stream.GetHashHex(), FormatMode(mode), modified)
            {
                DataOffset = DataOffsetOf(counted, length),
            });
            written += length;
            bytesProgress?.Report(written);
        }

        return index;
    }

    /// <summary>
    /// Where the data of the entry just written starts in the tar stream: TarWriter writes an entry whole (header,
    /// data, padding to the next 512-byte record), so the data ends its padded records.
    /// </summary>
    private static long DataOffsetOf(CountingWriteStream counted, long size) => counted.BytesWritten - ((size + 511) / 512 * 512);

    /// <summary>
    /// Carried files and the folders that hold them. A folder carried over gets mode 0755 and the newest time of the
    /// files under it, so carrying the same files over again gives the same bytes.
    /// </summary>
    private static IEnumerable<PlannedEntry> EnumerateCarried(IReadOnlyList<ArchiveIndexEntry> carried)
    {
        var folders = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        foreach (var file in carried)
        {
            yield return new PlannedEntry(file.Path, null, false, file);
            var parts = file.Path.Split('/');
            for (var depth = 2; depth < parts.Length; depth++)
            {
                var folder = string.Join('/', parts[..depth]) + "/";
                folders[folder] = folders.TryGetValue(folder, out var seen) && seen > file.ModifiedUtc ? seen : file.ModifiedUtc;
            }
        }

        foreach (var (folder, modified) in folders)
        {
            yield return new PlannedEntry(folder, null, true, new ArchiveIndexEntry(folder, 0, string.Empty, "0755", modified));
        }
    }

    private static UnixFileMode ParseMode(string octal) =>
        (UnixFileMode)(Convert.ToInt32(string.IsNullOrEmpty(octal) ? "0644" : octal, 8) & 0b111_111_111_111);

    private UnixFileMode ReadMode(string path, bool isDirectory)
    {
        if (OperatingSystem.IsWindows())
        {
            return isDirectory ? (UnixFileMode)0b111_101_101 : (UnixFileMode)0b110_100_100;
        }

        // Not IFileSystemInfo.UnixFileMode: System.IO.Abstractions' wrapper reports None for every file (measured
        // with 23.0.0), which would archive every file as mode 0000.
        return fileSystem.File.GetUnixFileMode(path);
    }

    public static string FormatMode(UnixFileMode mode) => Convert.ToString((int)mode, 8).PadLeft(4, '0');

    private static TarEntry CreateEntry(TarEntryType type, string path)
    {
        // Ustar holds names up to 100 characters (255 split at a '/'); longer ones need a PAX header, which we
        // give only the path so nothing time- or machine-dependent enters the archive.
        if (FitsUstar(path))
        {
            return new UstarTarEntry(type, path) { Uid = 0, Gid = 0, UserName = string.Empty, GroupName = string.Empty };
        }

        return new PaxTarEntry(type, path, [new KeyValuePair<string, string>("path", path)]) { Uid = 0, Gid = 0 };
    }

    private static bool FitsUstar(string path)
    {
        if (path.Length <= 100)
        {
            return true;
        }

        var split = path.LastIndexOf('/', Math.Min(path.Length - 1, 155));
        return split > 0 && path.Length - split - 1 <= 100 && System.Text.Encoding.UTF8.GetByteCount(path) == path.Length;
    }

    internal static DateTimeOffset TruncateToSeconds(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private IEnumerable<PlannedEntry> Enumerate(string relativeDirectory, DayContents contents)
    {
        var prefix = relativeDirectory.Replace('\\', '/') + "/";
        yield return new PlannedEntry(prefix, contents.Directory, true, null);
        foreach (var directory in contents.Directories)
        {
            yield return new PlannedEntry(prefix + directory + "/", fileSystem.Path.Combine(contents.Directory, directory), true, null);
        }

        foreach (var file in contents.Files)
        {
            yield return new PlannedEntry(prefix + file.Name, file.Path, false, null);
        }
    }

    /// <summary>One entry to write: from a live path, or carried over from the day's previous archive.</summary>
    private sealed record PlannedEntry(string ArchivePath, string? FullPath, bool IsDirectory, ArchiveIndexEntry? Carried);
}
