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
    private readonly DayContentsReader _days;
    private readonly DownloadManifestVerifier _manifestVerifier;

    /// <summary>Creates the archiver.</summary>
    public PartitionArchiver(
        StorageLayout layout, IFileSystem fileSystem, ManifestStore manifests, TimeProvider timeProvider, IArchiveStore store, DownloadManifestVerifier manifestVerifier)
    {
        _manifestVerifier = manifestVerifier;
        _layout = layout;
        _fileSystem = fileSystem;
        _manifests = manifests;
        _timeProvider = timeProvider;
        _store = store;
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

    /// <summary>What one day folder holds now (empty when it does not exist).</summary>
    internal DayContents ReadDay(StorageArea area, PartitionDate date) => _days.Read(_layout.GetDateDirectory(area, date));

    /// <summary>What the day's raw and processed folders hold now, for those that exist.</summary>
    internal IReadOnlyList<(string RelativeDirectory, DayContents Contents)> ReadSources(PartitionDate date) =>
        StorageAreas.Partitioned
            .Where(area => _fileSystem.Directory.Exists(_layout.GetDateDirectory(area, date)))
            .Select(area => ($"{area.GetFolderName()}/{date}", _days.Read(_layout.GetDateDirectory(area, date))))
            .ToList();

    /// <summary>
    /// Archives one day. When the day has an archive already, the new one replaces it only if it holds every file
    /// the old one held: files no longer live are carried over from the old archive, and a live file wins over its
    /// archived copy when it is newer (a late or re-run ETL, a new download). A live file that differs from its
    /// archived copy without being newer is a conflict, refused unless <paramref name="force"/> lets the live file win.
    /// </summary>
    /// <param name="held">The store lock, through which the archive and its index are published.</param>
    /// <param name="date">The day.</param>
    /// <param name="force">Let live files win over archived copies that differ and are not older.</param>
    /// <param name="progress">Bytes of source read so far.</param>
    /// <param name="cancellationToken">Cancels; the staged file is removed and no archive appears.</param>
    /// <exception cref="StorageInputException">The day has neither raw nor processed data nor an archive.</exception>
    /// <exception cref="StorageOperationException">
    /// The day holds something other than regular files and folders, its download manifest is invalid, the old
    /// archive cannot be carried over, or live files conflict with the archive and <paramref name="force"/> is false.
    /// </exception>
    public async Task<ArchiveOutcome> ArchiveAsync(
        StoreLockHandle held, PartitionDate date, bool force, IProgress<long>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(held);
        var name = ArchiveNames.Archive(date);
        var location = _store.Describe(name);
        var sources = ReadSources(date);
        foreach (var (_, contents) in sources)
        {
            contents.ThrowIfUnsafe();
        }

        var existing = await ReadExistingAsync(date, cancellationToken);
        if (sources.Count == 0)
        {
            if (existing is null)
            {
                throw new StorageNotFoundException($"There is nothing to archive for {date}: neither raw/{date} nor processed/{date} exists.");
            }

            // Nothing live to add; an index that did not describe the archive is rewritten from the archive itself.
            if (!existing.IndexTrusted)
            {
                await WriteIndexAsync(held, ArchiveNames.Index(date), date, existing.SizeBytes, existing.Sha256, existing.Entries, null, cancellationToken);
                await _store.DeleteAsync(ArchiveNames.PendingIndex(date), cancellationToken);
            }

            return new ArchiveOutcome(date, ArchiveStatus.Identical, location, existing.Entries.Sum(e => e.SizeBytes), existing.SizeBytes, existing.Entries.Count);
        }

        await EnsureManifestValidAsync(date, sources, cancellationToken);
        var livePaths = sources
            .SelectMany(source => source.Contents.Files.Select(file => $"{source.RelativeDirectory}/{file.Name}"))
            .ToHashSet(StringComparer.Ordinal);
        var carried = existing?.Entries.Where(entry => !livePaths.Contains(entry.Path)).ToList() ?? [];
        EnsureCarriedBelongToDay(date, location, carried);

        // An archive staged on the volume needs room there first; an object store stages nothing locally.
        var sourceBytes = sources.Sum(source => source.Contents.TotalBytes) + carried.Sum(entry => entry.SizeBytes);
        if (_store.IsOnStoreVolume)
        {
            FreeSpace.EnsureRoom(_fileSystem, _layout.Root, ArchiveFormat.BoundCompressedBytes(sourceBytes), $"Archiving {date}");
        }

        await using var staged = await _store.StageAsync(held, name, cancellationToken);
        await using var carryOver = ArchiveCarryOver.From(_store, name, carried);
        ArchiveFormat.WrittenDay? written = null;
        await staged.WriteAsync(
            async (stream, token) => written = await ArchiveFormat.WriteDayAsync(_fileSystem, sources, carryOver, stream, progress, token),
            cancellationToken);
        var entries = written!.Entries;
        await EnsureManifestHashesAsync(date, entries, cancellationToken);
        var (sha256, size) = await VerifyStagedAsync(await staged.OpenReadAsync(cancellationToken), location, entries, written.Blocks, cancellationToken);
        var outcome = new ArchiveOutcome(date, ArchiveStatus.Created, location, entries.Sum(e => e.SizeBytes), size, entries.Count)
        {
            CarriedOver = carried.Count,
        };
        if (existing is not null)
        {
            if (existing.Sha256 == sha256)
            {
                // The same bytes written again: an index that does not describe them, or one from before the block
                // table, is replaced by the one just made, so an old day becomes readable one file at a time.
                if (!existing.IndexTrusted || !existing.HasBlockTable)
                {
                    await WriteIndexAsync(held, ArchiveNames.Index(date), date, size, sha256, entries, written, cancellationToken);
                    await _store.DeleteAsync(ArchiveNames.PendingIndex(date), cancellationToken);
                }

                return outcome with { Kind = ArchiveStatus.Identical, CarriedOver = 0 };
            }

            var conflicts = FindConflicts(existing.Entries, entries);
            if (conflicts.Count > 0 && !force)
            {
                throw new StorageMismatchException(
                    $"{location} holds other bytes than the live {Describe(conflicts)}, and the live files are not newer than their archived copies; nothing was changed. Archive again with force to let the live files win (files only in the archive are kept).");
            }

            outcome = outcome with { Kind = conflicts.Count > 0 ? ArchiveStatus.Replaced : ArchiveStatus.Refreshed };
        }

        // An archive and its index cannot be replaced in one step. The pending index is written first and removed
        // last, so a kill anywhere in between leaves it beside the pair: the pair is then stale, never trusted, and
        // the next archive of the day reads the archive itself and carries its files over.
        await WriteIndexAsync(held, ArchiveNames.PendingIndex(date), date, size, sha256, entries, written, cancellationToken);
        await staged.PublishAsync(cancellationToken);
        await WriteIndexAsync(held, ArchiveNames.Index(date), date, size, sha256, entries, written, cancellationToken);
        await _store.DeleteAsync(ArchiveNames.PendingIndex(date), cancellationToken);
        return outcome;
    }

    /// <summary>
    /// Whether the day's archive is behind its live files, from the index and the live files' names, sizes and times
    /// (no file is read): a live file the archive lacks, one newer or of another size than its archived copy, an
    /// index missing, damaged or describing another archive (a replacement stopped between its two publishes).
    /// </summary>
    /// <param name="date">The day.</param>
    /// <param name="dayObjects">The day's objects, from a listing of the archive store (<see cref="ArchiveCatalog.ObjectsOf"/>).</param>
    /// <param name="cancellationToken">Cancels.</param>
    /// <returns>Why the archive is stale, one line each; empty when it is current or the day has no archive.</returns>
    public async Task<IReadOnlyList<string>> FindStalenessAsync(
        PartitionDate date, IReadOnlyList<ArchiveObjectInfo> dayObjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(dayObjects);
        if (dayObjects.FirstOrDefault(item => item.Name == ArchiveNames.Archive(date) && !item.IsFolder) is not { } archive)
        {
            return [];
        }

        if (dayObjects.Any(item => item.Name == ArchiveNames.PendingIndex(date)))
        {
            return ["a replace of it was stopped before it finished, so its index is not trusted"];
        }

        var reasons = new List<string>();
        ArchiveIndex? index;
        try
        {
            index = await _store.TryReadIndexAsync(_manifests, date, cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            return [$"its index is damaged ({exception.Problem})"];
        }
        catch (Exception exception) when (ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            // One index that cannot be read is its day's problem, never the whole selection's or status's.
            return [$"its index could not be read ({exception.Message.TrimEnd('.')})"];
        }

        if (index is null)
        {
            return ["it has no index"];
        }

        if (index.ArchiveSizeBytes != archive.SizeBytes || index.Partition != date)
        {
            return ["its index describes another archive (a run was stopped while replacing it)"];
        }

        var sources = ReadSources(date);
        var comparison = FileSetComparer.Compare(
            index.Entries.Select(entry => new FileSetEntry(entry.Path, entry.SizeBytes, entry.Sha256)),
            sources.SelectMany(source => source.Contents.Files.Select(file => new FileSetEntry($"{source.RelativeDirectory}/{file.Name}", file.SizeBytes))));
        var notArchived = comparison.Extra.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var otherSize = comparison.Changed.Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var archivedAt = index.Entries.DistinctBy(entry => entry.Path, StringComparer.Ordinal).ToDictionary(entry => entry.Path, entry => entry.ModifiedUtc, StringComparer.Ordinal);
        foreach (var (directory, contents) in sources)
        {
            // What the day holds that no archive can (a name that is not UTF-8, a link) makes it stale too, so the
            // next archive run takes the day and refuses it by name instead of passing it over.
            reasons.AddRange(contents.Problems);
            foreach (var file in contents.Files)
            {
                var path = $"{directory}/{file.Name}";
                if (notArchived.Contains(path))
                {
                    reasons.Add($"{path} is live but not in the archive");
                }
                else if (PartitionTarWriter.TruncateToSeconds(_fileSystem.File.GetLastWriteTimeUtc(file.Path)) > archivedAt[path])
                {
                    reasons.Add($"{path} is newer than its archived copy");
                }
                else if (otherSize.Contains(path))
                {
                    reasons.Add($"{path} differs in size from its archived copy without being newer");
                }
            }
        }

        return reasons;
    }

    /// <summary>Writes an index; <paramref name="written"/> gives the block table when these are the bytes just written.</summary>
    private Task WriteIndexAsync(
        StoreLockHandle held,
        string name,
        PartitionDate date,
        long size,
        string sha256,
        IReadOnlyList<ArchiveIndexEntry> entries,
        ArchiveFormat.WrittenDay? written,
        CancellationToken cancellationToken) =>
        _store.PutAsync(
            held,
            name,
            (stream, token) => _manifests.SerializeAsync(stream, CreateIndex(date, size, sha256, entries, written), token),
            cancellationToken);

    private ArchiveIndex CreateIndex(PartitionDate date, long size, string sha256, IReadOnlyList<ArchiveIndexEntry> entries, ArchiveFormat.WrittenDay? written) => new()
    {
        Partition = date,
        CreatedAtUtc = _timeProvider.GetUtcNow(),
        ArchiveSizeBytes = size,
        ArchiveSha256 = sha256,

        // Entries read back from an archive have no data offsets; only the bytes just written have a block table.
        Entries = written is null ? entries.Select(entry => entry with { DataOffset = null }).ToList() : entries,
        TarSizeBytes = written?.TarSizeBytes,
        Blocks = written?.Blocks,
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

    /// <summary>The day's archive as it is now: what it holds and its hash, from its index when that describes it.</summary>
    private async Task<ExistingArchive?> ReadExistingAsync(PartitionDate date, CancellationToken cancellationToken)
    {
        var name = ArchiveNames.Archive(date);
        if (await _store.GetInfoAsync(name, cancellationToken) is not { IsFolder: false } info)
        {
            return null;
        }

        var index = await TryReadIndexAsync(date, cancellationToken);
        var pending = await _store.GetInfoAsync(ArchiveNames.PendingIndex(date), cancellationToken) is not null;
        if (!pending && index is not null && index.Partition == date && index.ArchiveSizeBytes == info.SizeBytes)
        {
            return new ExistingArchive(index.Entries, index.ArchiveSha256, info.SizeBytes, IndexTrusted: true) { HasBlockTable = index.Blocks is not null };
        }

        // No index, one that describes another archive, or a replace that was stopped: the archive itself says what
        // it holds.
        var location = _store.Describe(name);
        var entries = new List<ArchiveIndexEntry>();
        try
        {
            await using var hasher = new EntryHasher(cancellationToken);
            var (sha256, size) = await ArchiveFormat.ScanAsync(
                await _store.OpenReadAsync(name, cancellationToken),
                location,
                async (entry, path) =>
                {
                    if (entry.EntryType is System.Formats.Tar.TarEntryType.RegularFile or System.Formats.Tar.TarEntryType.V7RegularFile)
                    {
                        await ArchiveFormat.DescribeEntryAsync(entry, path, hasher, entries.Add, cancellationToken);
                    }
                },
                cancellationToken);
            await hasher.CompleteAsync();
            return new ExistingArchive(entries, sha256, size, IndexTrusted: false);
        }
        catch (InvalidDataException exception)
        {
            throw new StorageMismatchException(
                $"The existing archive {location} cannot be read, so it cannot be replaced without losing what it holds ({exception.Message}). Move it out of the archive store to archive {date} anew.");
        }
    }

    /// <summary>Refuses to replace an archive that holds files outside the day's raw and processed folders.</summary>
    private static void EnsureCarriedBelongToDay(PartitionDate date, string location, IReadOnlyList<ArchiveIndexEntry> carried)
    {
        var prefixes = StorageAreas.Partitioned.Select(area => $"{area.GetFolderName()}/{date}/").ToList();
        var foreign = carried.FirstOrDefault(entry =>
            !prefixes.Any(prefix => entry.Path.StartsWith(prefix, StringComparison.Ordinal))
            || entry.Path.Split('/').Any(part => part is "" or "." or ".."));
        if (foreign is not null)
        {
            throw new StorageMismatchException(
                $"{location} holds {foreign.Path}, which is not a file of raw/{date} or processed/{date}, so it cannot be carried over into a new archive; nothing was changed.");
        }
    }

    /// <summary>A day whose download manifest is invalid is never archived: damaged data must not become the only copy.</summary>
    private async Task EnsureManifestValidAsync(
        PartitionDate date, IReadOnlyList<(string RelativeDirectory, DayContents Contents)> sources, CancellationToken cancellationToken)
    {
        var raw = $"{StorageArea.Raw.GetFolderName()}/{date}";
        foreach (var (directory, contents) in sources.Where(source => source.RelativeDirectory == raw))
        {
            var check = await _manifestVerifier.VerifyAsync(contents.Directory, contents, verifyContent: false, cancellationToken);
            if (check.Health == ManifestHealth.Invalid)
            {
                throw new StorageOperationException(
                    $"{directory} was not archived: its download manifest is invalid ({DescribeProblems(check.Problems)}).");
            }
        }
    }

    /// <summary>The hashes the tar writer computed, against the manifest: the check costs no second read of the day.</summary>
    private async Task EnsureManifestHashesAsync(PartitionDate date, IReadOnlyList<ArchiveIndexEntry> entries, CancellationToken cancellationToken)
    {
        var rawDirectory = _layout.GetDateDirectory(StorageArea.Raw, date);
        var manifest = await _manifests.TryReadAsync<DownloadManifest>(_fileSystem.Path.Combine(rawDirectory, DownloadManifest.FileName), cancellationToken);
        if (manifest is null)
        {
            return;
        }

        var prefix = $"{StorageArea.Raw.GetFolderName()}/{date}/";
        var comparison = FileSetComparer.Compare(
            manifest.Files.Select(file => new FileSetEntry(file.Name, file.SizeBytes, file.Sha256)),
            entries.Where(entry => entry.Path.StartsWith(prefix, StringComparison.Ordinal))
                .Select(entry => new FileSetEntry(entry.Path[prefix.Length..], entry.SizeBytes, entry.Sha256)));
        // Names and sizes were held to the manifest before the day was read; only the hashes are new here.
        var problems = comparison.Changed
            .Select(difference => $"{difference.Name}: sha256 {difference.Found.Sha256}, manifest says {difference.Want.Sha256}")
            .ToList();
        if (problems.Count > 0)
        {
            throw new StorageOperationException(
                $"raw/{date} was not archived: its download manifest is invalid ({DescribeProblems(problems)}).");
        }
    }

    /// <summary>Live files whose bytes differ from their archived copies although they are not newer.</summary>
    private static List<string> FindConflicts(IReadOnlyList<ArchiveIndexEntry> old, IReadOnlyList<ArchiveIndexEntry> now)
    {
        var comparison = FileSetComparer.Compare(
            old.Select(entry => new FileSetEntry(entry.Path, entry.SizeBytes, entry.Sha256)),
            now.Select(entry => new FileSetEntry(entry.Path, entry.SizeBytes, entry.Sha256)));
        var differing = comparison.Changed.Select(difference => difference.Name).ToHashSet(StringComparer.Ordinal);
        var before = old.DistinctBy(entry => entry.Path, StringComparer.Ordinal).ToDictionary(entry => entry.Path, entry => entry.ModifiedUtc, StringComparer.Ordinal);
        return now
            .Where(entry => differing.Contains(entry.Path) && entry.ModifiedUtc <= before[entry.Path])
            .Select(entry => entry.Path)
            .ToList();
    }

    private static string Describe(List<string> paths) =>
        paths.Count == 1 ? paths[0] : $"{paths[0]} and {Quantity.Of(paths.Count - 1, "more file")}";

    private static string DescribeProblems(IReadOnlyList<string> problems) =>
        problems.Count <= 3 ? string.Join("; ", problems) : $"{string.Join("; ", problems.Take(3))}; and {problems.Count - 3} more";

    /// <summary>A day's archive before it is replaced.</summary>
    private sealed record ExistingArchive(IReadOnlyList<ArchiveIndexEntry> Entries, string Sha256, long SizeBytes, bool IndexTrusted)
    {
        /// <summary>Whether its index has a block table (version 2), so one file can be read without the rest.</summary>
        public bool HasBlockTable { get; init; }
    }

    /// <summary>
    /// Reads the staged archive back whole before it is published. The block table the writer just made lets the
    /// read-back inflate on every core; it proves as much as a sequential read, since the table is held to the bytes
    /// and the gzip trailer, tar headers and every file's SHA-256 are checked all the same.
    /// </summary>
    private static async Task<(string Sha256, long Size)> VerifyStagedAsync(
        Stream staged, string location, IReadOnlyList<ArchiveIndexEntry> expected, IReadOnlyList<ArchiveBlock> blocks, CancellationToken cancellationToken)
    {
        var readBack = new List<FileSetEntry>();
        (string Sha256, long Size) result;
        await using (var hasher = new EntryHasher(cancellationToken))
        {
            // The tar is parsed on this thread while each file is hashed on the hasher's, so SHA-256 does not set the pace.
            result = await ArchiveFormat.ScanAsync(
                staged,
                location,
                async (entry, name) =>
                {
                    if (entry.EntryType != System.Formats.Tar.TarEntryType.Directory)
                    {
                        var length = entry.Length;
                        await hasher.FeedAsync(
                            entry.DataStream, output: null, onChunk: null, (sha256, _) => readBack.Add(new FileSetEntry(name, length, sha256)), cancellationToken);
                    }
                },
                cancellationToken,
                blocks);
            await hasher.CompleteAsync();
        }

        var comparison = FileSetComparer.Compare(expected.Select(e => new FileSetEntry(e.Path, e.SizeBytes, e.Sha256)), readBack);
        if (comparison.Differences.FirstOrDefault(difference => difference.Kind != FileDifferenceKind.Missing) is { } wrong)
        {
            throw new StorageMismatchException($"The archive written for {wrong.Name} does not read back identically from {location}; the disk or the store may be failing.");
        }

        if (!comparison.IsEqual)
        {
            throw new StorageOperationException($"The archive written holds {Quantity.Of(readBack.Count, "file")} instead of {expected.Count}.");
        }

        return result;
    }
}
