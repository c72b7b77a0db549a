using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// Writes one day's <c>archive/YYYYMMDD.tar.gz</c>: tar of <c>raw/YYYYMMDD</c> and <c>processed/YYYYMMDD</c>
/// through parallel gzip into a staging file, flushed, read back and checked against what was written, then
/// published by rename with its index. It does not take the store lock; callers that own the lock
/// (<see cref="ArchiveService"/>, prune) call it.
/// </summary>
public sealed class PartitionArchiver
{
    private readonly StorageLayout _layout;
    private readonly IFileSystem _fileSystem;
    private readonly ManifestStore _manifests;
    private readonly TimeProvider _timeProvider;
    private readonly PartitionTarWriter _tarWriter;
    private readonly TarGzScanner _scanner;

    /// <summary>Creates the archiver.</summary>
    public PartitionArchiver(StorageLayout layout, IFileSystem fileSystem, ManifestStore manifests, TimeProvider timeProvider)
    {
        _layout = layout;
        _fileSystem = fileSystem;
        _manifests = manifests;
        _timeProvider = timeProvider;
        _tarWriter = new PartitionTarWriter(fileSystem);
        _scanner = new TarGzScanner(fileSystem);
    }

    /// <summary>The index file that sits next to a day's archive.</summary>
    public string GetIndexPath(PartitionDate date) => _layout.GetArchivePath(date) + ArchiveIndex.Suffix;

    /// <summary>Whether the day has an archive file.</summary>
    public bool HasArchive(PartitionDate date) => _fileSystem.File.Exists(_layout.GetArchivePath(date));

    /// <summary>The root-relative folders a day's archive holds, e.g. <c>raw/20241026</c>.</summary>
    public IReadOnlyList<string> GetSourceDirectories(PartitionDate date) =>
        StorageAreas.Partitioned
            .Where(area => _fileSystem.Directory.Exists(_layout.GetDateDirectory(area, date)))
            .Select(area => $"{area.GetFolderName()}/{date}")
            .ToList();

    /// <summary>Archives one day.</summary>
    /// <param name="date">The day.</param>
    /// <param name="force">Replace an existing archive that differs (otherwise that is an error).</param>
    /// <param name="progress">Bytes of source read so far.</param>
    /// <param name="cancellationToken">Cancels; the staging file is removed and no archive appears.</param>
    /// <exception cref="StorageInputException">The day has neither raw nor processed data.</exception>
    /// <exception cref="StorageOperationException">An archive exists and differs, and <paramref name="force"/> is false.</exception>
    public async Task<ArchiveOutcome> ArchiveAsync(
        PartitionDate date, bool force, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        var sources = GetSourceDirectories(date);
        if (sources.Count == 0)
        {
            throw new StorageInputException($"There is nothing to archive for {date}: neither raw/{date} nor processed/{date} exists.");
        }

        var finalPath = _layout.GetArchivePath(date);
        _fileSystem.Directory.CreateDirectory(_layout.StagingDirectory);
        _fileSystem.Directory.CreateDirectory(_layout.GetAreaPath(StorageArea.Archive));
        RemoveLeftoversOf(date);
        var staging = _fileSystem.Path.Combine(_layout.StagingDirectory, $"{date}{StorageLayout.ArchiveExtension}.{Guid.NewGuid():N}.tmp");
        try
        {
            IReadOnlyList<ArchiveIndexEntry> entries;
            await using (var file = _fileSystem.FileStream.New(staging, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
            {
                await using (var gzip = new ParallelGzipStream(file))
                {
                    entries = await _tarWriter.WriteAsync(_layout.Root, sources, gzip, progress, cancellationToken);
                    await gzip.CompleteAsync(cancellationToken);
                }

                file.Flush(flushToDisk: true);
            }

            var (sha256, size) = await VerifyStagedAsync(staging, entries, cancellationToken);
            var status = ArchiveStatus.Created;
            if (_fileSystem.File.Exists(finalPath))
            {
                var existingIndex = await TryReadIndexAsync(date, cancellationToken);
                var existingSha = existingIndex?.ArchiveSha256 ?? await Sha256Hasher.HashFileAsync(_fileSystem, finalPath, cancellationToken);
                if (existingSha == sha256)
                {
                    if (existingIndex is null)
                    {
                        await _manifests.WriteAsync(GetIndexPath(date), CreateIndex(date, size, sha256, entries), cancellationToken);
                    }

                    return new ArchiveOutcome(date, ArchiveStatus.Identical, finalPath, entries.Sum(e => e.SizeBytes), size, entries.Count);
                }

                if (!force)
                {
                    throw new StorageOperationException(
                        $"{finalPath} exists and differs from what raw/{date} and processed/{date} hold now; use --force to replace it.");
                }

                status = ArchiveStatus.Replaced;
            }

            // Index first: a crash between the two leaves an index without its archive (redone by the next run),
            // never an archive whose index describes another one.
            await _manifests.WriteAsync(GetIndexPath(date), CreateIndex(date, size, sha256, entries), cancellationToken);
            _fileSystem.File.Move(staging, finalPath, overwrite: true);
            return new ArchiveOutcome(date, status, finalPath, entries.Sum(e => e.SizeBytes), size, entries.Count);
        }
        finally
        {
            if (_fileSystem.File.Exists(staging))
            {
                _fileSystem.File.Delete(staging);
            }
        }
    }

    /// <summary>
    /// Deletes what a killed run of this day left behind: its staging file and a half-written index. Callers hold
    /// the store lock, so nothing else can be writing them.
    /// </summary>
    private void RemoveLeftoversOf(PartitionDate date)
    {
        var prefix = date + StorageLayout.ArchiveExtension;
        foreach (var leftover in _fileSystem.Directory.EnumerateFiles(_layout.StagingDirectory, $"{prefix}.*.tmp")
            .Concat(_fileSystem.Directory.EnumerateFiles(_layout.GetAreaPath(StorageArea.Archive), $".{prefix}{ArchiveIndex.Suffix}.*.tmp"))
            .ToList())
        {
            _fileSystem.File.Delete(leftover);
        }
    }

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
            return await _manifests.TryReadAsync<ArchiveIndex>(GetIndexPath(date), cancellationToken);
        }
        catch (ManifestFormatException)
        {
            // A damaged index is rebuilt from the archive rather than trusted.
            return null;
        }
    }

    private async Task<(string Sha256, long Size)> VerifyStagedAsync(
        string staging, IReadOnlyList<ArchiveIndexEntry> expected, CancellationToken cancellationToken)
    {
        var byPath = expected.ToDictionary(e => e.Path, StringComparer.Ordinal);
        var seen = 0;
        var result = await _scanner.ScanAsync(
            staging,
            async (entry, name) =>
            {
                if (entry.EntryType == System.Formats.Tar.TarEntryType.Directory)
                {
                    return;
                }

                var actual = await Sha256Hasher.HashAsync(entry.DataStream, cancellationToken);
                if (!byPath.TryGetValue(name, out var want) || want.Sha256 != actual)
                {
                    throw new StorageOperationException($"The archive written for {name} does not read back identically; the disk may be failing.");
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
