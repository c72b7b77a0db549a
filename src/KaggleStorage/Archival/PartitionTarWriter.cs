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
    /// Writes the given day folders (root-relative, e.g. <c>raw/20241026</c>, with what they hold) to
    /// <paramref name="output"/> and returns the index of the files written.
    /// </summary>
    public async Task<IReadOnlyList<ArchiveIndexEntry>> WriteAsync(
        IReadOnlyList<(string RelativeDirectory, DayContents Contents)> days,
        Stream output,
        IProgress<long>? bytesProgress,
        CancellationToken cancellationToken)
    {
        var entries = days
            .SelectMany(day => Enumerate(day.RelativeDirectory, day.Contents))
            .OrderBy(entry => entry.ArchivePath, StringComparer.Ordinal)
            .ToList();

        var index = new List<ArchiveIndexEntry>();
        long written = 0;
        await using var tar = new TarWriter(output, TarEntryFormat.Ustar, leaveOpen: true);
        foreach (var (archivePath, fullPath, isDirectory) in entries)
        {
            cancellationToken.ThrowIfCancellationRequested();
            IFileSystemInfo info = isDirectory ? fileSystem.DirectoryInfo.New(fullPath) : fileSystem.FileInfo.New(fullPath);
            var mode = ReadMode(fullPath, isDirectory);
            var modified = TruncateToSeconds(info.LastWriteTimeUtc);
            var entry = CreateEntry(isDirectory ? TarEntryType.Directory : TarEntryType.RegularFile, archivePath);
            entry.Mode = mode;
            entry.ModificationTime = modified;
            if (isDirectory)
            {
                await tar.WriteEntryAsync(entry, cancellationToken);
                continue;
            }

            await using var data = new HashingReadStream(fileSystem.FileStream.New(
                fullPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true));
            var length = data.Length;
            entry.DataStream = data;
            await tar.WriteEntryAsync(entry, cancellationToken);
            if (data.BytesRead != length)
            {
                throw new IOException($"'{fullPath}' changed size while it was being archived.");
            }

            index.Add(new ArchiveIndexEntry(archivePath, length, data.GetHashHex(), FormatMode(mode), modified));
            written += length;
            bytesProgress?.Report(written);
        }

        return index;
    }

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

    private static DateTimeOffset TruncateToSeconds(DateTime utc) =>
        new(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private IEnumerable<(string ArchivePath, string FullPath, bool IsDirectory)> Enumerate(string relativeDirectory, DayContents contents)
    {
        var prefix = relativeDirectory.Replace('\\', '/') + "/";
        yield return (prefix, contents.Directory, true);
        foreach (var directory in contents.Directories)
        {
            yield return (prefix + directory + "/", fileSystem.Path.Combine(contents.Directory, directory), true);
        }

        foreach (var file in contents.Files)
        {
            yield return (prefix + file.Name, file.Path, false);
        }
    }
}
