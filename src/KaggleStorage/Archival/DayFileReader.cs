using System.Formats.Tar;
using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// Says where a day lives, lists its files and opens one of them, whether the day is live (<c>raw/YYYYMMDD</c>,
/// <c>processed/YYYYMMDD</c>) or archived, on the volume or in a bucket. A live file wins over its archived copy.
/// From an archive whose index has a block table (index version 2), only the blocks that hold the file are read
/// (ranged GETs against S3) and inflated; from an older index or an archive without one, the archive is read
/// from its start to the file. Every byte of an archived file is held to the index's size and SHA-256 by the end of
/// the stream. Reading takes no store lock: an archive replaced while it is read fails the SHA-256 check rather
/// than yield other bytes.
/// </summary>
public sealed class DayFileReader(StorageLayout layout, IFileSystem fileSystem, ManifestStore manifests, IArchiveStore store)
{
    private readonly DayContentsReader _days = new(fileSystem);

    /// <summary>
    /// Where <paramref name="date"/> of <paramref name="area"/> lives: its <c>raw</c> or <c>processed</c> folder, or
    /// its archive (a path, or <c>s3://bucket/key</c> with the S3 archive store). It says where, not whether anything
    /// is there.
    /// </summary>
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

        layout.EnsureExists();
        return area == StorageArea.Archive ? store.Describe(ArchiveNames.Archive(date)) : layout.GetDateDirectory(area, date);
    }

    /// <summary>The files of a day, ordinal order of path: the live ones, and those only its archive holds.</summary>
    /// <exception cref="StorageNotFoundException">The day has no live folder and no archive.</exception>
    /// <exception cref="InvalidDataException">The day's archive has no index and cannot be read.</exception>
    public async Task<IReadOnlyList<DayFileInfo>> ListAsync(PartitionDate date, CancellationToken cancellationToken = default)
    {
        layout.EnsureExists();
        var files = new Dictionary<string, DayFileInfo>(StringComparer.Ordinal);
        var live = ReadLive(date);
        foreach (var (prefix, contents) in live)
        {
            foreach (var file in contents.Files)
            {
                files[$"{prefix}/{file.Name}"] = new DayFileInfo($"{prefix}/{file.Name}", file.SizeBytes, DayFileOrigin.Live);
            }
        }

        var archive = await OpenArchiveAsync(date, cancellationToken);
        if (archive is null && live.Count == 0)
        {
            throw NoDay(date);
        }

        if (archive is not null)
        {
            foreach (var (path, size) in await archive.ListAsync(cancellationToken))
            {
                files.TryAdd(path, new DayFileInfo(path, size, DayFileOrigin.Archive));
            }
        }

        return [.. files.Values.OrderBy(file => file.Path, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Opens one file of a day for reading. <paramref name="file"/> is a name in the day's raw folder
    /// (<c>price_file_x.csv</c>) or a path from the store root (<c>raw/20241026/x.csv</c>,
    /// <c>processed/20241026/load_summary.json</c>).
    /// </summary>
    /// <returns>
    /// The file's bytes. Its <see cref="Stream.Length"/> is the file's size, also for an archived file, whose stream
    /// cannot seek.
    /// </returns>
    /// <exception cref="StorageInputException">The path is not one of the day's (another day, another area, <c>..</c>).</exception>
    /// <exception cref="StorageNotFoundException">The day, or the file in it, is not in the store.</exception>
    /// <exception cref="InvalidDataException">
    /// The archive or its index is damaged; also thrown by the stream's reads when the bytes are not those the index
    /// records (the last bytes are withheld, so a reader that reaches the end has the recorded file).
    /// </exception>
    public async Task<Stream> OpenReadAsync(PartitionDate date, string file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        layout.EnsureExists();
        var path = ResolvePath(date, file);
        var live = ReadLive(date);
        foreach (var (prefix, contents) in live)
        {
            if (contents.Files.FirstOrDefault(candidate => $"{prefix}/{candidate.Name}" == path) is { } found)
            {
                return fileSystem.FileStream.New(found.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            }
        }

        var archive = await OpenArchiveAsync(date, cancellationToken);
        if (archive is null)
        {
            throw live.Count == 0 ? NoDay(date) : new StorageNotFoundException($"{date} has no file {path}: it is not in {string.Join(" or ", live.Select(day => day.Prefix))}, and the day has no archive.");
        }

        return await archive.OpenAsync(path, cancellationToken);
    }

    private static StorageNotFoundException NoDay(PartitionDate date) =>
        new($"There is no day {date} in the store: neither raw/{date} nor processed/{date} exists, and it has no archive.");

    /// <summary>The file's path from the store root, held to the day and to plain names.</summary>
    private static string ResolvePath(PartitionDate date, string file)
    {
        var path = file.Replace('\\', '/');
        var parts = path.Split('/');
        if (path.Length == 0 || parts.Any(part => part is "" or "." or ".."))
        {
            throw new StorageInputException($"'{file}' is not a file name of a day: give a name in raw/{date} or a path like raw/{date}/name.");
        }

        if (parts[0] is "raw" or "processed" && parts.Length >= 2 && PartitionDate.TryParse(parts[1], out _))
        {
            if (parts[1] != date.ToString() || parts.Length < 3)
            {
                throw new StorageInputException($"'{file}' is not a file of day {date}.");
            }

            return path;
        }

        return $"raw/{date}/{path}";
    }

    private List<(string Prefix, DayContents Contents)> ReadLive(PartitionDate date) =>
        StorageAreas.Partitioned
            .Where(area => fileSystem.Directory.Exists(layout.GetDateDirectory(area, date)))
            .Select(area => ($"{area.GetFolderName()}/{date}", _days.Read(layout.GetDateDirectory(area, date))))
            .ToList();

    /// <summary>The day's archive and what its index says of it, or null when the day has no archive.</summary>
    private async Task<ArchivedDay?> OpenArchiveAsync(PartitionDate date, CancellationToken cancellationToken)
    {
        var name = ArchiveNames.Archive(date);
        if (await store.GetInfoAsync(name, cancellationToken) is not { IsFolder: false } info)
        {
            return null;
        }

        ArchiveIndex? index;
        try
        {
            index = await store.TryReadIndexAsync(manifests, date, cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            throw new InvalidDataException($"The index of {store.Describe(name)} is damaged: {exception.Problem}", exception);
        }

        // An index that describes another archive (a replace was stopped half-way) says nothing of this one's bytes.
        var pending = await store.GetInfoAsync(ArchiveNames.PendingIndex(date), cancellationToken) is not null;
        if (index is not null && (pending || index.Partition != date || index.ArchiveSizeBytes != info.SizeBytes))
        {
            index = null;
        }

        var table = index is null ? null : ArchiveBlockTable.From(index, info.SizeBytes, store.Describe(ArchiveNames.Index(date)));
        return new ArchivedDay(store, name, index, table);
    }

    /// <summary>A day's archive with its index (when it has a trusted one) and block table (index version 2).</summary>
    private sealed record ArchivedDay(IArchiveStore Store, string Name, ArchiveIndex? Index, ArchiveBlockTable? Table)
    {
        private string Location => Store.Describe(Name);

        public async Task<IReadOnlyList<(string Path, long Size)>> ListAsync(CancellationToken cancellationToken)
        {
            if (Index is not null)
            {
                return [.. Index.Entries.Select(entry => (entry.Path, entry.SizeBytes))];
            }

            var files = new List<(string, long)>();
            await ArchiveFormat.ScanAsync(
                await Store.OpenReadAsync(Name, cancellationToken),
                Location,
                (entry, path) =>
                {
                    if (entry.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile)
                    {
                        files.Add((path, entry.Length));
                    }

                    return Task.CompletedTask;
                },
                cancellationToken);
            return files;
        }

        public async Task<Stream> OpenAsync(string path, CancellationToken cancellationToken)
        {
            var entry = Index?.Entries.FirstOrDefault(candidate => candidate.Path == path);
            if (Index is not null && entry is null)
            {
                throw new StorageNotFoundException($"{Location} holds no file {path}.");
            }

            var description = $"{path} of {Location}";
            if (entry is { DataOffset: { } offset } && Table is not null)
            {
                var blocks = Table.Covering(offset, entry.SizeBytes);
                if (blocks.Count == 0)
                {
                    return new IndexCheckedReadStream(Stream.Null, 0, entry.Sha256, description);
                }

                var range = await Store.OpenReadRangeAsync(
                    Name, blocks[0].CompressedOffset, blocks.Sum(block => block.CompressedLength), cancellationToken);
                var tar = ArchiveFormat.OpenBlocks(range);
                try
                {
                    await SkipAsync(tar, offset - blocks[0].UncompressedOffset, description, cancellationToken);
                }
                catch
                {
                    await tar.DisposeAsync();
                    throw;
                }

                return new IndexCheckedReadStream(tar, entry.SizeBytes, entry.Sha256, description);
            }

            return await ScanToAsync(path, entry, description, cancellationToken);
        }

        /// <summary>Without a block table: through the archive from its start to the file.</summary>
        private async Task<Stream> ScanToAsync(string path, ArchiveIndexEntry? entry, string description, CancellationToken cancellationToken)
        {
            var source = await Store.OpenReadAsync(Name, cancellationToken);
            var gzip = ArchiveFormat.OpenTarStream(source, leaveOpen: false);
            var reader = new TarReader(gzip, leaveOpen: true);
            try
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } found)
                {
                    if (found.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                        && TarGzScanner.NormalizeName(found.Name) == path)
                    {
                        if (entry is not null && found.Length != entry.SizeBytes)
                        {
                            throw new InvalidDataException($"{description} holds {found.Length} bytes, but its index says {entry.SizeBytes}; the archive is damaged.");
                        }

                        return new IndexCheckedReadStream(found.DataStream ?? Stream.Null, found.Length, entry?.Sha256, description, reader, gzip);
                    }
                }
            }
            catch (Exception exception) when (exception is not InvalidDataException
                and (EndOfStreamException or FormatException or InvalidOperationException or ArgumentOutOfRangeException or OverflowException))
            {
                await DisposeAllAsync(reader, gzip);
                throw new InvalidDataException($"{Location} could not be read to {path}: the archive is damaged ({exception.Message}).", exception);
            }
            catch
            {
                await DisposeAllAsync(reader, gzip);
                throw;
            }

            await DisposeAllAsync(reader, gzip);
            throw entry is null
                ? new StorageNotFoundException($"{Location} holds no file {path}.")
                : new InvalidDataException($"{description} is in the index but not in the archive; the archive is damaged.");
        }

        private static async Task DisposeAllAsync(TarReader reader, Stream gzip)
        {
            await reader.DisposeAsync();
            await gzip.DisposeAsync();
        }

        private static async Task SkipAsync(Stream stream, long count, string description, CancellationToken cancellationToken)
        {
            var buffer = new byte[(int)Math.Clamp(count, 1, 1 << 16)];
            try
            {
                while (count > 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, count)), cancellationToken);
                    if (read == 0)
                    {
                        throw new InvalidDataException($"{description} could not be read: its blocks end before the file starts; the archive is damaged.");
                    }

                    count -= read;
                }
            }
            catch (InvalidDataException exception) when (!exception.Message.StartsWith(description, StringComparison.Ordinal))
            {
                throw new InvalidDataException($"{description} could not be read: the archive is damaged ({exception.Message}).", exception);
            }
        }
    }
}
