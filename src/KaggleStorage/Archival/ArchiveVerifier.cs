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
    /// name. Each of them is for <see cref="VerifyAsync"/> to judge.
    /// </summary>
    public async Task<IReadOnlyList<PartitionDate>> FindArchivedDaysAsync(CancellationToken cancellationToken = default) =>
        (await ArchiveCatalog.ReadAsync(store, cancellationToken)).DaysWithAnything;

    /// <summary>Verifies one day's archive.</summary>
    /// <exception cref="StorageInputException">The day has neither an archive nor an index.</exception>
    public async Task<ArchiveVerification> VerifyAsync(PartitionDate date, CancellationToken cancellationToken = default)
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

        var expected = index?.Entries.ToDictionary(e => e.Path, StringComparer.Ordinal) ?? [];
        var entries = 0;
        var live = 0;
        var archived = new List<ArchiveIndexEntry>();
        var archivedNames = new HashSet<string>(StringComparer.Ordinal);
        var sources = archiver.ReadSources(date);
        problems.AddRange(sources.SelectMany(source => source.Contents.Problems));
        var liveFiles = sources
            .SelectMany(source => source.Contents.Files.Select(file => (Name: $"{source.RelativeDirectory}/{file.Name}", file.Path)))
            .ToDictionary(file => file.Name, file => file.Path, StringComparer.Ordinal);
        var stale = new List<string>();
        try
        {
            var (sha256, size) = await ArchiveFormat.ScanAsync(
                await store.OpenReadAsync(archiveName, cancellationToken),
                archivePath,
                async (entry, name) =>
                {
                    if (entry.EntryType == TarEntryType.Directory)
                    {
                        return;
                    }

                    entries++;
                    archivedNames.Add(name);
                    var read = await ArchiveFormat.DescribeEntryAsync(entry, name, cancellationToken);
                    var actual = read.Sha256;
                    archived.Add(read);
                    if (index is not null)
                    {
                        if (!expected.Remove(name, out var want))
                        {
                            problems.Add($"{name}: in the archive but not in the index");
                        }
                        else if (want.Sha256 != actual || want.SizeBytes != entry.Length)
                        {
                            problems.Add($"{name}: archive holds sha256 {actual} ({entry.Length} bytes), index says {want.Sha256} ({want.SizeBytes} bytes)");
                        }
                    }

                    if (liveFiles.TryGetValue(name, out var livePath))
                    {
                        live++;
                        var liveHash = await Sha256Hasher.HashFileAsync(fileSystem, livePath, cancellationToken);
                        if (liveHash != actual)
                        {
                            // A live file written after the archive (a re-run ETL, a new download) makes the archive
                            // stale, which the next archive or prune refreshes; one that is not newer is damage.
                            var liveModified = PartitionTarWriter.TruncateToSeconds(fileSystem.File.GetLastWriteTimeUtc(livePath));
                            (liveModified > entry.ModificationTime ? stale : problems).Add(
                                liveModified > entry.ModificationTime
                                    ? $"{name}: the live file is newer than the archived copy"
                                    : $"{name}: the live file differs from the archived copy");
                        }
                    }
                },
                cancellationToken);

            if (index is not null && (index.ArchiveSha256 != sha256 || index.ArchiveSizeBytes != size))
            {
                problems.Add($"archive file hash or size differs from the index (sha256 {sha256}, {size} bytes): the archive was changed, or a run was stopped while replacing it; archiving the day again repairs the pair and keeps every file the archive holds");
            }
        }
        catch (InvalidDataException exception)
        {
            problems.Add(exception.Message);
        }

        problems.AddRange(expected.Keys.Order(StringComparer.Ordinal).Select(name => $"{name}: in the index but missing from the archive"));
        stale.AddRange(liveFiles.Keys
            .Where(name => !archivedNames.Contains(name))
            .Order(StringComparer.Ordinal)
            .Select(name => $"{name}: a live file that the archive does not hold"));
        return new ArchiveVerification(date, archivePath, entries, live, problems, archived) { Stale = stale };
    }
}
