using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// Writes one day's <c>YYYYMMDD.tar.gz</c> into the <see cref="IArchiveStore"/>: tar of <c>raw/YYYYMMDD</c> and
/// <c>processed/YYYYMMDD</c> through parallel gzip into a staged object (a file under <c>.staging/</c>, or a
/// multipart upload), read back and checked against what was written, then published with its index under the
/// caller's store lock (<see cref="ArchiveService"/>, prune).
/// A day is read under the store's one rule of what a day holds: every regular file, hidden names included; a day
/// holding a link, fifo, socket or device is refused.
/// </summary>
internal sealed class PartitionArchiver
{
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly ManifestStore _manifests;
    private readonly TimeProvider _timeProvider;
    private readonly IArchiveStore _store;
    private readonly PartitionTarWriter _tarWriter;
    private readonly DayContentsReader _days;

    /// <summary>Creates the archiver.</summary>
    public PartitionArchiver(StorageLayout layout, IFileSystem fileSystem, ManifestStore manifests, TimeProvider timeProvider, IArchiveStore store)
    {
        _layout = layout;
        _fileSystem = fileSystem;
        _manifests = manifests;
        _timeProvider = timeProvider;
        _store = store;
        _tarWriter = new PartitionTarWriter(fileSystem);
        _days = new DayContentsReader(fileSystem);
    }

    /// <summary>Where the day's archive is (or would be), for people.</summary>
    public string DescribeArchive(PartitionDate date) => _store.Describe(ArchiveNames.Archive(date));

    /// <summary>Whether the day has an archive object.</summary>
    public async Task<bool> HasArchiveAsync(PartitionDate date, CancellationToken cancellationToken = default) =>
        await _store.GetInfoAsync(ArchiveNames.Archive(date), cancellationToken) is { IsFolder: false };

    /// <summary>The root-relative folders a day's archive holds, e.g. <c>raw/20241026</c>.</summary>
    public IReadOnlyList<string> GetSourceDirectories(PartitionDate date) =>
        ReadSources(date).Select(source => source.RelativeDirectory).ToList();

    /// <summary>What the day's raw and processed folders hold now, for those that exist.</summary>
    internal IReadOnlyList<(string RelativeDirectory, DayContents Contents)> ReadSources(PartitionDate date) =>
        StorageAreas.Partitioned
            .Where(area => _fileSystem.Directory.Exists(_layout.GetDateDirectory(area, date)))
            .Select(area => ($"{area.GetFolderName()}/{date}", _days.Read(_layout.GetDateDirectory(area, date))))
            .ToList();

    /// <summary>Archives one day.</summary>
    /// <param name="held">The store lock, through which the archive and its index are published.</param>
    /// <param name="date">The day.</param>
    /// <param name="force">Replace an existing archive that differs (otherwise that is an error).</param>
    /// <param name="progress">Bytes of source read so far.</param>
    /// <param name="cancellationToken">Cancels; the staged file is removed and no archive appears.</param>
    /// <exception cref="StorageInputException">The day has neither raw nor processed data.</exception>
    /// <exception cref="StorageOperationException">
    /// The day holds something other than regular files and folders, or an archive exists and differs and
    /// <paramref name="force"/> is false.
    /// </exception>
    public async Task<ArchiveOutcome> ArchiveAsync(
        StoreLockHandle held, PartitionDate date, bool force, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        var sources = ReadSources(date);
        if (sources.Count == 0)
        {
            throw new StorageNotFoundException($"There is nothing to archive for {date}: neither raw/{date} nor processed/{date} exists.");
        }

        foreach (var (_, contents) in sources)
        {
            contents.ThrowIfUnsafe();
        }

        // Day CSVs compress about 7 times (measured on the dataset's shape); a third of the day is a safe bound
        // for an archive staged on the volume, and a real shortfall still fails cleanly with nothing published.
        // An object store stages nothing locally.
        var sourceBytes = sources.Sum(source => source.Contents.TotalBytes);
        if (_store.Kind == ArchiveStoreKind.FileSystem)
        {
            FreeSpace.EnsureRoom(_fileSystem, _layout.Root, (sourceBytes / 3) + (16L << 20), $"Archiving {date}");
        }

        var name = ArchiveNames.Archive(date);
        var location = _store.Describe(name);
        await using var staged = await _store.StageAsync(held, name, cancellationToken);
        IReadOnlyList<ArchiveIndexEntry> entries = [];
        await staged.WriteAsync(
            async (stream, token) =>
            {
                await using var gzip = new ParallelGzipStream(stream);
                entries = await _tarWriter.WriteAsync(sources, gzip, progress, token);
                await gzip.CompleteAsync(token);
            },
            cancellationToken);

        var (sha256, size) = await VerifyStagedAsync(await staged.OpenReadAsync(cancellationToken), location, entries, cancellationToken);
        var status = ArchiveStatus.Created;
        if (await HasArchiveAsync(date, cancellationToken))
        {
            var existingIndex = await TryReadIndexAsync(date, cancellationToken);
            var existingSha = existingIndex?.ArchiveSha256 ?? await _store.HashAsync(name, cancellationToken);
            if (existingSha == sha256)
            {
                if (existingIndex is null)
                {
                    await WriteIndexAsync(held, date, size, sha256, entries, cancellationToken);
                }

                return new ArchiveOutcome(date, ArchiveStatus.Identical, location, entries.Sum(e => e.SizeBytes), size, entries.Count);
            }

            if (!force)
            {
                throw new StorageMismatchException(
                    $"{location} exists and differs from what raw/{date} and processed/{date} hold now; archive with force to replace it.");
            }

            status = ArchiveStatus.Replaced;
        }

        // Index first: a crash between the two leaves an index without its archive (redone by the next run),
        // never an archive whose index describes another one.
        await WriteIndexAsync(held, date, size, sha256, entries, cancellationToken);
        await staged.PublishAsync(cancellationToken);
        return new ArchiveOutcome(date, status, location, entries.Sum(e => e.SizeBytes), size, entries.Count);
    }

    private Task WriteIndexAsync(
        StoreLockHandle held, PartitionDate date, long size, string sha256, IReadOnlyList<ArchiveIndexEntry> entries, CancellationToken cancellationToken) =>
        _store.PutAsync(
            held,
            ArchiveNames.Index(date),
            (stream, token) => _manifests.SerializeAsync(stream, CreateIndex(date, size, sha256, entries), token),
            cancellationToken);

    private ArchiveIndex CreateIndex(PartitionDate date, long size, string sha256, IReadOnlyList<ArchiveIndexEntry> entries) => new()
    {
        Partition = date,
        CreatedAtUtc = _timeProvider.GetUtcNow(),
        ArchiveSizeBytes = size,
        ArchiveSha256 = sha256,
        Entries = entries,
    };

    private async Task<ArchiveIndex?> TryReadIndexAsync(PartitionDate date, CancellationToken cancellationToken)
    {
        try
        {
            return await _store.TryReadIndexAsync(_manifests, date, cancellationToken);
        }
        catch (ManifestFormatException)
        {
            // A damaged index is rebuilt from the archive rather than trusted.
            return null;
        }
    }

    private static async Task<(string Sha256, long Size)> VerifyStagedAsync(
        Stream staged, string location, IReadOnlyList<ArchiveIndexEntry> expected, CancellationToken cancellationToken)
    {
        var byPath = expected.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var seen = 0;
        var result = await TarGzScanner.ScanAsync(
            staged,
            location,
            async (entry, name) =>
            {
                if (entry.EntryType == System.Formats.Tar.TarEntryType.Directory)
                {
                    return;
                }

                var actual = await Sha256Hasher.HashAsync(entry.DataStream, cancellationToken);
                if (!byPath.TryGetValue(name, out var want) || want.Sha256 != actual)
                {
                    throw new StorageMismatchException($"The archive written for {name} does not read back identically from {location}; the disk or the store may be failing.");
                }

                seen++;
            },
            cancellationToken);
        if (seen != expected.Count)
        {
            throw new StorageOperationException($"The archive written holds {seen} files instead of {expected.Count}.");
        }

        return result;
    }
}
