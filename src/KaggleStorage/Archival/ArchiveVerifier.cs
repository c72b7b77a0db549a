using System.Formats.Tar;
using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>
/// Checks a day's archive in the <see cref="IArchiveStore"/> end to end, streamed: gzip and tar integrity, every entry against the index (size and SHA-256,
/// nothing missing or extra), the archive's own hash, and the live files in raw/ and processed/ where they still
/// exist, read under the store's one rule of what a day holds (hidden files included; a link or fifo in the day is
/// a problem).
/// </summary>
internal sealed class ArchiveVerifier(IFileSystem fileSystem, ManifestStore manifests, PartitionArchiver archiver, IArchiveStore store)
{
    /// <summary>
    /// The days that have anything of an archive: the archive, its index, or something else under the archive's
    /// name. Each of them is for <see cref="VerifyAsync(PartitionDate, CancellationToken)"/> to judge.
    /// </summary>
    public async Task<IReadOnlyList<PartitionDate>> FindArchivedDaysAsync(CancellationToken cancellationToken = default) =>
        (await ArchiveCatalog.ReadAsync(store, cancellationToken)).DaysWithAnything;

    /// <summary>Verifies one day's archive.</summary>
    /// <exception cref="StorageInputException">The day has neither an archive nor an index.</exception>
    public Task<ArchiveVerification> VerifyAsync(PartitionDate date, CancellationToken cancellationToken = default) =>
        VerifyAsync(date, blocks: null, cancellationToken);

    /// <summary>Verifies one day's archive; given its block table, the archive is inflated on every core.</summary>
    /// <exception cref="StorageInputException">The day has neither an archive nor an index.</exception>
    public async Task<ArchiveVerification> VerifyAsync(PartitionDate date, IReadOnlyList<ArchiveBlock>? blocks, CancellationToken cancellationToken = default)
    {
        var archiveName = ArchiveNames.Archive(date);
        var archivePath = store.Describe(archiveName);
        var indexPath = store.Describe(ArchiveNames.Index(date));
        var archiveInfo = await store.GetInfoAsync(archiveName, cancellationToken);
        var problems = new List<string>();
        ArchiveIndex? index = null;
        try
        {
            index = await store.TryReadIndexAsync(manifests, date, cancellationToken);
            if (index is null && archiveInfo is { IsFolder: false })
            {
                problems.Add($"index {indexPath} is missing");
            }
        }
        catch (ManifestFormatException exception)
        {
            problems.Add(exception.Message);
        }
        catch (Exception exception) when (ArchiveStoreUnavailableException.IsDayProblem(exception))
        {
            // A damaged or unreadable index is this day's problem; the archive itself is still checked.
            problems.Add($"index {indexPath} could not be read: {exception.Message.TrimEnd('.')}");
        }

        if (index is not null && index.Partition != date)
        {
            problems.Add($"index {indexPath} names day {index.Partition}, not {date}");
        }

        if (archiveInfo is not { IsFolder: false })
        {
            if (archiveInfo is { IsFolder: true })
            {
                problems.Add($"{archivePath} is a folder, not an archive file");
            }
            else if (problems.Count == 0 && index is null)
            {
                // Only the pending index of a first archive that was stopped before it published: nothing was lost,
                // and the next archive of the day removes it.
                if (await store.GetInfoAsync(ArchiveNames.PendingIndex(date), cancellationToken) is not null)
                {
                    return new ArchiveVerification(date, archivePath, 0, 0, [], [])
                    {
                        Stale = [$"{store.Describe(ArchiveNames.PendingIndex(date))} is left by an archive run that was stopped before it published; the next archive of the day removes it"],
                    };
                }

                throw new StorageNotFoundException($"There is no archive for {date} ({archivePath}).");
            }
            else
            {
                problems.Add($"the archive {archivePath} is missing although its index exists");
            }

            return new ArchiveVerification(date, archivePath, 0, 0, problems, []);
        }

        blocks ??= ArchiveBlockTable.TryTrusted(index, archiveInfo, indexPath);
        var entries = 0;
        var archived = new List<ArchiveIndexEntry>();
        var sources = archiver.ReadSources(date);
        problems.AddRange(sources.SelectMany(source => source.Contents.Problems));
        var liveFiles = sources
            .SelectMany(source => source.Contents.Files.Select(file => new FileSetEntry($"{source.RelativeDirectory}/{file.Name}", file.SizeBytes, Path: file.Path)))
            .ToList();
        (string Sha256, long Size)? scanned = null;
        string? damage = null;
        await using (var hasher = new EntryHasher(cancellationToken))
        {
            try
            {
                scanned = await ArchiveFormat.ScanAsync(
                    await store.OpenReadAsync(archiveName, cancellationToken),
                    archivePath,
                    async (entry, name) =>
                    {
                        if (entry.EntryType != TarEntryType.Directory)
                        {
                            entries++;
                            await ArchiveFormat.DescribeEntryAsync(entry, name, hasher, archived.Add, cancellationToken);
                        }
                    },
                    cancellationToken,
                    blocks);
            }
            catch (InvalidDataException exception)
            {
                damage = exception.Message;
            }

            // Every file read whole before the end or the damage is compared, as when it was hashed on the way.
            await hasher.CompleteAsync();
        }

        // What was read of the archive (all of it, or up to the damage) against the index and against the live files.
        var held = archived.Select(entry => new FileSetEntry(entry.Path, entry.SizeBytes, entry.Sha256)).ToList();
        var againstIndex = FileSetComparer.Compare(index?.Entries.Select(entry => new FileSetEntry(entry.Path, entry.SizeBytes, entry.Sha256)) ?? [], held);
        var againstLive = (await FileSetComparer.CompareAsync(
            held, liveFiles, (file, token) => Sha256Hasher.HashFileAsync(fileSystem, file.Path!, token), cancellationToken)).ThrowIfUnreadable();
        // Differences point at the very entries compared, so a name the tar holds twice is reported once per copy.
        var indexDifferences = (index is null ? [] : againstIndex.Differences.Where(d => d.Actual is not null))
            .ToDictionary<FileDifference, object>(d => d.Found, ReferenceEqualityComparer.Instance);
        var liveDifferences = againstLive.Changed.ToDictionary<FileDifference, object>(d => d.Want, ReferenceEqualityComparer.Instance);
        var stale = new List<string>();
        for (var i = 0; i < held.Count; i++)
        {
            var (path, entry) = (held[i].Name, archived[i]);
            if (indexDifferences.TryGetValue(held[i], out var inIndex))
            {
                problems.Add(inIndex.Kind == FileDifferenceKind.Extra
                    ? $"{path}: in the archive but not in the index"
                    : $"{path}: archive holds sha256 {entry.Sha256} ({entry.SizeBytes} bytes), index says {inIndex.Want.Sha256} ({inIndex.Want.SizeBytes} bytes)");
            }

            if (liveDifferences.TryGetValue(held[i], out var differing))
            {
                // A live file written after the archive (a re-run ETL, a new download) makes the archive stale,
                // which the next archive or prune refreshes; one that is not newer is damage.
                var newer = PartitionTarWriter.TruncateToSeconds(fileSystem.File.GetLastWriteTimeUtc(differing.Found.Path!)) > entry.ModifiedUtc;
                (newer ? stale : problems).Add(
                    newer ? $"{path}: the live file is newer than the archived copy" : $"{path}: the live file differs from the archived copy");
            }
        }

        if (scanned is { } whole && index is not null && (index.ArchiveSha256 != whole.Sha256 || index.ArchiveSizeBytes != whole.Size))
        {
            problems.Add($"archive file hash or size differs from the index (sha256 {whole.Sha256}, {whole.Size} bytes): the archive was changed, or a run was stopped while replacing it; archiving the day again repairs the pair and keeps every file the archive holds");
        }

        if (scanned is { } read && index is not null && index.ArchiveSizeBytes == read.Size)
        {
            // A block table that does not fit the archive would make every one-file read of the day fail; verify
            // says so now rather than the first reader later.
            try
            {
                ArchiveBlockTable.From(index, read.Size, store.Describe(ArchiveNames.Index(date)));
            }
            catch (InvalidDataException exception)
            {
                problems.Add(exception.Message.TrimEnd('.'));
            }
        }

        if (damage is not null)
        {
            problems.Add(damage);
        }

        problems.AddRange(againstIndex.Missing.Select(difference => difference.Name).Order(StringComparer.Ordinal).Select(name => $"{name}: in the index but missing from the archive"));
        stale.AddRange(againstLive.Extra
            .Select(difference => difference.Name)
            .Order(StringComparer.Ordinal)
            .Select(name => $"{name}: a live file that the archive does not hold"));
        var live = againstLive.Paired;
        return new ArchiveVerification(date, archivePath, entries, live, problems, archived) { Stale = stale };
    }
}
