using System.Formats.Tar;
using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// Extracts a day's archive only when every entry is safe: plain files and directories under
/// <c>raw/YYYYMMDD/</c> or <c>processed/YYYYMMDD/</c> of that day, no absolute paths, no <c>..</c>, no links,
/// no devices or fifos. The whole archive is checked before anything is written, so a refused archive writes
/// nothing anywhere.
/// </summary>
internal sealed class SafeArchiveExtractor(IFileSystem fileSystem, TarGzScanner scanner)
{
    /// <summary>Checks every entry; returns the files and directories it holds, root-relative.</summary>
    /// <exception cref="InvalidDataException">Corrupt or truncated.</exception>
    /// <exception cref="UnsafeArchiveException">An entry is unsafe.</exception>
    public async Task<ArchiveContents> ValidateAsync(string archivePath, PartitionDate date, CancellationToken cancellationToken)
    {
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        var directories = new List<string>();
        await scanner.ScanAsync(
            archivePath,
            async (entry, name) =>
            {
                var problem = FindProblem(entry, name, date);
                if (problem is not null)
                {
                    throw new UnsafeArchiveException($"Archive '{archivePath}' refused: entry '{entry.Name}' {problem}; nothing was written.");
                }

                if (entry.EntryType == TarEntryType.Directory)
                {
                    directories.Add(name.TrimEnd('/'));
                }
                else
                {
                    files[name] = await PartitionArchiver.HashAsync(entry.DataStream, cancellationToken);
                }
            },
            cancellationToken);
        return new ArchiveContents(files, directories);
    }

    /// <summary>Writes the (already validated) entries under <paramref name="targetDirectory"/>, keeping modes and times.</summary>
    public async Task ExtractAsync(string archivePath, string targetDirectory, CancellationToken cancellationToken)
    {
        var directoryTimes = new List<(string Path, DateTimeOffset Time, UnixFileMode Mode)>();
        await scanner.ScanAsync(
            archivePath,
            async (entry, name) =>
            {
                var path = fileSystem.Path.Combine(targetDirectory, name.TrimEnd('/'));
                if (entry.EntryType == TarEntryType.Directory)
                {
                    fileSystem.Directory.CreateDirectory(path);
                    directoryTimes.Add((path, entry.ModificationTime, entry.Mode));
                    return;
                }

                fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(path)!);
                await using (var output = fileSystem.FileStream.New(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
                {
                    if (entry.DataStream is { } data)
                    {
                        await data.CopyToAsync(output, cancellationToken);
                    }

                    output.Flush(flushToDisk: true);
                }

                ApplyMetadata(path, entry.Mode, entry.ModificationTime, isDirectory: false);
            },
            cancellationToken);

        // Directory times last: creating files inside a directory would bump its time again.
        foreach (var (path, time, mode) in directoryTimes.OrderByDescending(d => d.Path.Length))
        {
            ApplyMetadata(path, mode, time, isDirectory: true);
        }
    }

    private void ApplyMetadata(string path, UnixFileMode mode, DateTimeOffset modified, bool isDirectory)
    {
        if (!OperatingSystem.IsWindows() && mode != 0)
        {
            fileSystem.File.SetUnixFileMode(path, mode);
        }

        if (isDirectory)
        {
            fileSystem.Directory.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
        else
        {
            fileSystem.File.SetLastWriteTimeUtc(path, modified.UtcDateTime);
        }
    }

    private static string? FindProblem(TarEntry entry, string name, PartitionDate date)
    {
        switch (entry.EntryType)
        {
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.Directory:
                break;
            case TarEntryType.SymbolicLink or TarEntryType.HardLink:
                return $"is a link to '{entry.LinkName}' (links are never restored)";
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice or TarEntryType.Fifo:
                return $"is a {entry.EntryType} (special files are never restored)";
            default:
                return $"has the unsupported type {entry.EntryType}";
        }

        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || (name.Length > 1 && name[1] == ':'))
        {
            return "is an absolute path";
        }

        var segments = name.TrimEnd('/').Split('/');
        if (segments.Any(segment => segment is ".." or "." or ""))
        {
            return "contains '..' or empty segments";
        }

        var day = date.ToString();
        var inDay = segments[0] is "raw" or "processed" && (segments.Length == 1
            ? entry.EntryType == TarEntryType.Directory
            : segments[1] == day);
        return inDay ? null : $"is outside raw/{day}/ and processed/{day}/";
    }
}
