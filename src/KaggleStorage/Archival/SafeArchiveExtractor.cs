using System.Formats.Tar;
using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;

namespace KaggleStorage.Archival;

/// <summary>
/// Extracts a day's archive in one streaming pass into a staging folder, checking each entry before writing it:
/// only plain files and directories under <c>raw/YYYYMMDD/</c> or <c>processed/YYYYMMDD/</c> of that day, no
/// absolute paths, no <c>..</c>, no links, no devices or fifos. An unsafe entry aborts the pass; the caller then
/// deletes the staging folder, so a refused archive leaves nothing anywhere else.
/// </summary>
internal sealed class SafeArchiveExtractor(IFileSystem fileSystem)
{
    /// <summary>
    /// Reads <paramref name="archive"/> (which it disposes; <paramref name="archivePath"/> names it) and writes the entries under <paramref name="stagingDirectory"/>, keeping modes and times, and returns what the
    /// archive holds, with the size and SHA-256 of every file as written. More than <paramref name="maxBytes"/> in all
    /// stops the pass (<paramref name="maxBytesReason"/> says why that is the limit). With the archive's
    /// <paramref name="blocks"/>, its blocks are inflated on every core while entries are checked and written in order.
    /// Given <paramref name="only"/> (root-relative paths), only those files are written and returned.
    /// </summary>
    /// <exception cref="InvalidDataException">Corrupt or truncated, or an entry is unsafe.</exception>
    public async Task<ArchiveContents> ExtractAsync(
        Stream archive,
        string archivePath,
        PartitionDate date,
        string stagingDirectory,
        long maxBytes,
        string maxBytesReason,
        CancellationToken cancellationToken,
        IReadOnlyList<ArchiveBlock>? blocks = null,
        IReadOnlySet<string>? only = null)
    {
        long written = 0;
        var files = new Dictionary<string, (long Size, string Sha256)>(StringComparer.Ordinal);
        var directories = new List<string>();
        var directoryTimes = new List<(string Path, DateTimeOffset Time, UnixFileMode Mode)>();

        // This thread parses the tar, checks every entry and creates its file; the hasher hashes and writes the bytes
        // on a task of its own, so neither SHA-256 nor the disk holds up reading. A file is recorded only once it is
        // written whole and closed, and the caller publishes nothing before this method returns.
        await using (var hasher = new EntryHasher(cancellationToken))
        {
            await ArchiveFormat.ScanAsync(
                archive,
                archivePath,
                async (entry, name) =>
                {
                    if (FindProblem(entry, name, date) is { } problem)
                    {
                        throw UnsafeArchive.Refused($"Archive '{archivePath}' refused: entry '{entry.Name}' {problem}; nothing was restored.");
                    }

                    var relative = name.TrimEnd('/');
                    var path = fileSystem.Path.Combine(stagingDirectory, relative);

                    // Every entry is checked above, so an archive that is unsafe anywhere is refused whole; when only some
                    // files are wanted, the others and the folders are passed over (the wanted files' folders are made for them).
                    if (only is not null && (entry.EntryType == TarEntryType.Directory || !only.Contains(relative)))
                    {
                        return;
                    }

                    if (entry.EntryType == TarEntryType.Directory)
                    {
                        directories.Add(relative);
                        fileSystem.Directory.CreateDirectory(path);
                        directoryTimes.Add((path, entry.ModificationTime, entry.Mode));
                        return;
                    }

                    fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(path)!);
                    var (mode, modified) = (entry.Mode, entry.ModificationTime);
                    var output = fileSystem.FileStream.New(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, useAsync: true);
                    await hasher.FeedAsync(
                        entry.DataStream,
                        output,
                        chunk =>
                        {
                            // Counted as read, before the chunk is queued, so nothing past the limit is ever written.
                            written += chunk.Length;
                            if (written > maxBytes)
                            {
                                throw new StorageOperationException($"The restore stopped before writing more than {maxBytesReason}; nothing was restored.");
                            }
                        },
                        (sha256, size) =>
                        {
                            files[relative] = (size, sha256);
                            ApplyMetadata(path, mode, modified, isDirectory: false);

                            // The day is fsynced file by file before it is published; its disk writes start now,
                            // while the next files are inflated, instead of all at once at the end.
                            Durable.StartWriteBack(fileSystem, path);
                        },
                        cancellationToken);
                },
                cancellationToken,
                blocks);
            await hasher.CompleteAsync();
        }

        // Directory times last: creating files inside a directory would bump its time again.
        foreach (var (path, time, mode) in directoryTimes.OrderByDescending(d => d.Path.Length))
        {
            ApplyMetadata(path, mode, time, isDirectory: true);
        }

        return new ArchiveContents(files, directories);
    }

    private void ApplyMetadata(string path, UnixFileMode mode, DateTimeOffset modified, bool isDirectory)
    {
        // Permission bits only: a restored data file has no business being setuid, setgid or sticky.
        mode &= ~(UnixFileMode.SetUser | UnixFileMode.SetGroup | UnixFileMode.StickyBit);
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
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile or TarEntryType.Directory
                when IsGnuSparse(entry):
                return "is a GNU sparse file (sparse files are not restored; archive the day with this tool or without --sparse)";
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
        if (!inDay)
        {
            return $"is outside raw/{day}/ and processed/{day}/";
        }

        return segments.Length == 2 && entry.EntryType != TarEntryType.Directory
            ? $"would make the day folder {segments[0]}/{day} a file"
            : null;
    }

    private static bool IsGnuSparse(TarEntry entry) =>
        entry.Name.Contains("GNUSparseFile.", StringComparison.Ordinal)
        || (entry is PaxTarEntry pax && pax.ExtendedAttributes.Keys.Any(key => key.StartsWith("GNU.sparse.", StringComparison.Ordinal)));
}
