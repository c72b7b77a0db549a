using System.IO.Abstractions;
using System.IO.Compression;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Manifests;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Extracts a downloaded zip only when every entry is a plain file or folder that stays inside the target: any
/// absolute path, <c>..</c> segment, backslash, symbolic link, name that is not valid UTF-8, or name taken by the
/// day's manifest refuses the whole zip before anything is written.
/// A bad zip (corrupt, refused, an entry whose size or CRC-32 disagrees) is an <see cref="InvalidDataException"/>,
/// so the caller can tell it from a volume that is merely full and discard only what is really bad.
/// </summary>
internal sealed class SafeZipExtractor(IFileSystem fileSystem)
{
    private const int UnixFileTypeMask = 0xF000;
    private const int UnixSymbolicLink = 0xA000;

    /// <param name="zipPath">The zip.</param>
    /// <param name="targetDirectory">Where its entries go.</param>
    /// <param name="progress">Bytes written so far and the total the central directory announces.</param>
    /// <param name="cancellationToken">Stops.</param>
    public async Task<int> ExtractAsync(string zipPath, string targetDirectory, IProgress<(long Done, long Total)>? progress, CancellationToken cancellationToken)
    {
        await using var stream = fileSystem.FileStream.New(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        ZipArchive archive;
        try
        {
            archive = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken);
        }
        catch (InvalidDataException exception)
        {
            throw new InvalidDataException($"The downloaded file is not a valid zip: {exception.Message}", exception);
        }

        await using (archive)
        {
            var names = await ReadNamesAsync(zipPath, archive.Entries.Count, cancellationToken);
            for (var i = 0; i < names.Count; i++)
            {
                if (EntryNameText.TryDecodeUtf8(names[i].Bytes) is null)
                {
                    // Extracted, such a name would become U+FFFD on disk: another file than the dataset's, and one
                    // the store could not name. Refused with its bytes, so the zip can be reported to its author.
                    throw new InvalidDataException(
                        $"The downloaded zip was refused: entry '{EntryNameText.Escape(names[i].Bytes)}' has a name that is not valid UTF-8 ({(names[i].FlaggedUtf8 ? "though flagged as UTF-8" : "not flagged as UTF-8: a legacy code page")}); nothing was extracted.");
                }
            }

            foreach (var entry in archive.Entries)
            {
                if (FindProblem(entry) is { } problem)
                {
                    throw new InvalidDataException($"The downloaded zip was refused: entry '{EntryNameText.Escape(entry.FullName)}' {problem}; nothing was extracted.");
                }
            }

            // The central directory says what extraction will write; refuse before writing rather than fill the volume.
            var total = archive.Entries.Sum(entry => entry.Length);
            FreeSpace.EnsureRoom(fileSystem, targetDirectory, total, "Extracting the downloaded zip");

            var files = 0;
            long done = 0;
            progress?.Report((0, total));
            foreach (var entry in archive.Entries)
            {
                var path = fileSystem.Path.Combine(targetDirectory, entry.FullName);
                if (entry.FullName.EndsWith('/'))
                {
                    fileSystem.Directory.CreateDirectory(path);
                    continue;
                }

                fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(path)!);
                long size;
                uint crc;
                try
                {
                    await using var input = await entry.OpenAsync(cancellationToken);
                    await using var output = fileSystem.FileStream.New(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
                    var before = done;
                    (size, crc) = await CopyCheckingAsync(
                        input, output, entry.Length, entry.FullName, written => progress?.Report((before + written, total)), cancellationToken);
                    done += size;
                }
                catch (InvalidDataException exception) when (exception.Source != nameof(SafeZipExtractor))
                {
                    throw new InvalidDataException($"The downloaded zip is corrupt at entry '{entry.FullName}': {exception.Message}", exception);
                }

                // The zip's own CRC-32 of each entry is its only proof that a flipped byte in transit did not turn
                // into a wrong CSV with a manifest that hashes the wrong file.
                if (size != entry.Length || crc != entry.Crc32)
                {
                    throw new InvalidDataException(
                        $"The downloaded zip is corrupt at entry '{entry.FullName}': it extracts to {size} bytes with CRC-32 {crc:x8}, the zip records {entry.Length} bytes with CRC-32 {entry.Crc32:x8}; nothing was published.");
                }

                fileSystem.File.SetLastWriteTimeUtc(path, entry.LastWriteTime.UtcDateTime);
                Durable.StartWriteBack(fileSystem, path);
                files++;
            }

            return files;
        }
    }

    private async Task<IReadOnlyList<ZipEntryName>> ReadNamesAsync(string zipPath, int entries, CancellationToken cancellationToken)
    {
        await using var stream = fileSystem.FileStream.New(zipPath, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        var names = await ZipEntryNames.ReadAsync(stream, cancellationToken);
        return names.Count == entries
            ? names
            : throw new InvalidDataException($"The downloaded file is not a valid zip: its central directory holds {names.Count} names for {entries} entries.");
    }

    private static async Task<(long Size, uint Crc)> CopyCheckingAsync(
        Stream input, Stream output, long declared, string name, Action<long> written, CancellationToken cancellationToken)
    {
        var crc = new System.IO.Hashing.Crc32();
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 16);
        long size = 0;
        try
        {
            int read;
            while ((read = await input.ReadAsync(buffer, cancellationToken)) > 0)
            {
                size += read;
                if (size > declared)
                {
                    // A zip bomb or a lying directory: stop before the disk fills with what was not announced.
                    throw new InvalidDataException(
                        $"The downloaded zip was refused: entry '{name}' extracts to more than the {declared} bytes its directory records; nothing was published.")
                    {
                        Source = nameof(SafeZipExtractor),
                    };
                }

                crc.Append(buffer.AsSpan(0, read));
                await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                written(size);
            }
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }

        return (size, crc.GetCurrentHashAsUInt32());
    }

    private static string? FindProblem(ZipArchiveEntry entry)
    {
        var name = entry.FullName;
        if (name.Length == 0)
        {
            return "has an empty name";
        }

        if (name.StartsWith('/') || name.Contains('\\', StringComparison.Ordinal) || (name.Length > 1 && name[1] == ':'))
        {
            return "is an absolute path";
        }

        if (name.TrimEnd('/').Split('/').Any(segment => segment is ".." or "." or ""))
        {
            return "contains '..' or empty segments";
        }

        if (name.Split('/')[0] == DownloadManifest.FileName)
        {
            // Download writes its manifest there: the dataset's file would be overwritten and the manifest lie.
            return $"collides with the manifest that download writes at the day's top level ({DownloadManifest.FileName})";
        }

        if (((entry.ExternalAttributes >> 16) & UnixFileTypeMask) == UnixSymbolicLink)
        {
            return "is a symbolic link";
        }

        return null;
    }
}
