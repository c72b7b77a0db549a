using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Archival;

/// <summary>
/// Restores a day's archive into the store root (or another folder): checks every entry first, extracts into a
/// staged folder on the target's volume, then publishes the day folders through the store's staged-write sequence.
/// Existing files are never replaced without <c>force</c>; files already identical to the archive are left as they
/// are. Restoring takes the store lock, into the store or elsewhere.
/// </summary>
public sealed class ArchiveRestorer(
    StorageLayout layout, IFileSystem fileSystem, StoreLock storeLock, ManifestStore manifests, IOptions<KaggleStorageOptions> options, IArchiveStore store)
{
    private readonly SafeArchiveExtractor _extractor = new(fileSystem);
    private readonly StoreBoundary _boundary = new(layout, fileSystem);

    /// <summary>Restores one day.</summary>
    /// <param name="date">The day.</param>
    /// <param name="into">
    /// The folder to restore into; null for the store root. Another folder must lie outside the store.
    /// </param>
    /// <param name="files">
    /// Restore only these files of the day (null or empty: the whole day). A bare name is a file of the day's raw
    /// folder (<c>price_file_x.csv</c> is <c>raw/YYYYMMDD/price_file_x.csv</c>); a name with a slash is relative to the
    /// store root (<c>processed/YYYYMMDD/load_summary.json</c>). Needs <paramref name="into"/>: a day in the store is
    /// whole or absent.
    /// </param>
    /// <param name="force">Replace files that exist and differ from the archive; otherwise the restore refuses, unchanged.</param>
    /// <param name="cancellationToken">Cancels; nothing partial is left under a final name.</param>
    /// <exception cref="StorageNotFoundException">There is no archive for the day, or a file asked for is not in it.</exception>
    /// <exception cref="StorageInputException">
    /// The store does not exist, or the target is a file, or is, holds or lies inside the store (after resolving links);
    /// or single files are asked for without a folder to restore them into, or by a name that is not a file of a day.
    /// </exception>
    /// <exception cref="StorageMismatchException">Files exist that differ, and force is off; or the archive differs from its index.</exception>
    /// <exception cref="InvalidDataException">The archive is corrupt or holds an unsafe entry; nothing was written.</exception>
    public async Task<RestoreResult> RestoreAsync(
        PartitionDate date,
        string? into = null,
        IReadOnlyCollection<string>? files = null,
        bool force = false,
        CancellationToken cancellationToken = default)
    {
        var only = files is { Count: > 0 }
            ? files.Select(file => DayFileNames.Resolve(date, file)).ToHashSet(StringComparer.Ordinal)
            : null;
        if (only is not null && into is null)
        {
            throw new StorageInputException(
                $"Restoring single files of {date} needs a folder to restore them into (--into): a day in the store is whole or absent, never a few of its files.");
        }

        layout.EnsureExists();
        var target = into is null ? layout.Root : fileSystem.Path.TrimEndingDirectorySeparator(fileSystem.Path.GetFullPath(into));
        var intoStore = into is null;
        if (!intoStore)
        {
            // Another folder is a copy beside the store, never a second way into it: a target in the store would
            // nest raw/ and processed/ in its own folders, and the store root itself is the default, not a target.
            _boundary.EnsureApart(
                "The restore target",
                target,
                [
                    fileSystem.Path.Combine(target, "raw"),
                    fileSystem.Path.Combine(target, "processed"),
                    fileSystem.Path.Combine(target, ".staging"),
                    fileSystem.Path.Combine(target, "raw", date.ToString()),
                    fileSystem.Path.Combine(target, "processed", date.ToString()),
                ]);
        }

        if (fileSystem.File.Exists(target))
        {
            throw new StorageInputException($"Cannot restore into {target}: it is a file, not a folder.");
        }

        var archiveName = ArchiveNames.Archive(date);
        var archivePath = store.Describe(archiveName);
        var archiveInfo = await store.GetInfoAsync(archiveName, cancellationToken);
        if (archiveInfo is not { IsFolder: false })
        {
            throw new StorageNotFoundException($"There is no archive for {date} ({archivePath}).");
        }

        // Restoring elsewhere takes the lock too: prune must not delete the archive while it is read, and every
        // staged write belongs to a holder of the lock.
        await using var held = await storeLock.AcquireAsync("restore", cancellationToken);
        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, held.LostToken);
        cancellationToken = work.Token;

        // Never fill the volume: the index says exactly what the day needs; without one, a configured ceiling
        // and the free space bound what the pass may write.
        var index = await ReadIndexAsync(date, cancellationToken);
        if (index is not null && only is not null)
        {
            EnsureHeld(date, archivePath, only, index.Entries.Select(entry => entry.Path));
        }

        var (budget, budgetReason) = index is not null
            ? (index.Entries.Where(entry => only?.Contains(entry.Path) ?? true).Sum(entry => entry.SizeBytes), "the index's total")
            : (options.Value.MaxRestoreBytes, $"KaggleStorage:MaxRestoreBytes ({options.Value.MaxRestoreBytes} bytes), the most an archive without an index may expand to");
        if (index is not null)
        {
            FreeSpace.EnsureRoom(
                fileSystem, target, budget, (needed, free) => $"Restoring {date} needs {needed} bytes in {target}, but only {free} are free; nothing was written.");
        }
        else if (FreeSpace.GetAvailableBytes(fileSystem, target) is { } room && room < budget)
        {
            (budget, budgetReason) = (room, $"the {room} bytes free in {target}");
        }

        var stagingRoot = fileSystem.Path.Combine(target, ".staging");
        await using var staging = intoStore
            ? held.CreateStagedDirectory($"restore-{date}")
            : held.CreateStagedDirectoryIn(stagingRoot, $"restore-{date}");
        try
        {
            var contents = await _extractor.ExtractAsync(
                await store.OpenReadAsync(archiveName, cancellationToken), archivePath, date, staging.Path, budget, budgetReason, cancellationToken,
                blocks: ArchiveBlockTable.TryTrusted(index, archiveInfo, store.Describe(ArchiveNames.Index(date))), only: only);
            if (only is not null)
            {
                EnsureHeld(date, archivePath, only, contents.Files.Keys);
            }

            CheckAgainstIndex(date, archivePath, index, contents, only);

            // Files that exist in the target are either identical (left alone) or differing.
            var existing = await FileSetComparer.CompareAsync(
                contents.Files.Select(file => new FileSetEntry(file.Key, file.Value.Size, file.Value.Sha256)),
                contents.Files.Keys
                    .Select(file => (Name: file, Info: fileSystem.FileInfo.New(fileSystem.Path.Combine(target, file))))
                    .Where(file => file.Info.Exists)
                    .Select(file => new FileSetEntry(file.Name, file.Info.Length, Path: file.Info.FullName)),
                (file, token) => Sha256Hasher.HashFileAsync(fileSystem, file.Path!, token),
                cancellationToken);
            existing.ThrowIfUnreadable();
            var present = existing.Same.Select(pair => pair.Expected.Name).ToHashSet(StringComparer.Ordinal);
            var differing = existing.Changed.Select(difference => difference.Name).ToList();
            if (differing.Count > 0 && !force)
            {
                throw new StorageMismatchException(
                    $"Restoring {date} would overwrite {Quantity.Of(differing.Count, "file")} in {target} that differ from the archive, e.g. {differing.Order(StringComparer.Ordinal).First()}; restore with force to replace them.");
            }

            // Every day folder of the archive is published on its own; one that exists already is merged file by
            // file (each rename atomic), leaving identical files as they are.
            foreach (var partition in PartitionsOf(contents))
            {
                await staging.PublishPartAsync(
                    partition, fileSystem.Path.Combine(target, partition), name => present.Contains($"{partition}/{name}"), cancellationToken);
            }

            return new RestoreResult(date, archivePath, target, contents.Files.Count - present.Count, differing.Count, present.Count);
        }
        finally
        {
            await staging.DisposeAsync();
            if (!intoStore && fileSystem.Directory.Exists(stagingRoot) && !fileSystem.Directory.EnumerateFileSystemEntries(stagingRoot).Any())
            {
                fileSystem.Directory.Delete(stagingRoot);
            }
        }
    }

    private async Task<ArchiveIndex?> ReadIndexAsync(PartitionDate date, CancellationToken cancellationToken)
    {
        try
        {
            return await store.TryReadIndexAsync(manifests, date, cancellationToken);
        }
        catch (ManifestFormatException exception)
        {
            // An index that cannot be read proves nothing, so the restore cannot prove its result either.
            throw new StorageOperationException($"Restoring {date} refused: {exception.Message} Nothing was restored.", exception);
        }
    }

    /// <summary>
    /// When the archive has an index, what was extracted must equal it path for path, size and SHA-256 before
    /// anything is published.
    /// </summary>
    private static void CheckAgainstIndex(PartitionDate date, string archivePath, ArchiveIndex? index, ArchiveContents contents, HashSet<string>? only)
    {
        if (index is null)
        {
            return;
        }

        var differences = new List<string>();
        if (index.Partition != date)
        {
            differences.Add($"the index names day {index.Partition}");
        }

        var comparison = FileSetComparer.Compare(
            index.Entries.Where(entry => only?.Contains(entry.Path) ?? true).Select(entry => new FileSetEntry(entry.Path, entry.SizeBytes, entry.Sha256)),
            contents.Files.Select(file => new FileSetEntry(file.Key, file.Value.Size, file.Value.Sha256)));
        differences.AddRange(comparison.Differences
            .Where(difference => difference.Kind != FileDifferenceKind.Missing)
            .OrderBy(difference => difference.Name, StringComparer.Ordinal)
            .Select(difference => difference.Kind == FileDifferenceKind.Extra
                ? $"{difference.Name} is in the archive but not in the index"
                : $"{difference.Name} extracted as {difference.Found.SizeBytes} bytes sha256 {difference.Found.Sha256}, the index says {difference.Want.SizeBytes} bytes sha256 {difference.Want.Sha256}"));
        differences.AddRange(comparison.Missing.Select(difference => difference.Name).Order(StringComparer.Ordinal).Select(path => $"{path} is in the index but not in the archive"));
        if (differences.Count > 0)
        {
            throw new StorageMismatchException(
                $"Restoring {date} refused: what {archivePath} holds differs from its index ({string.Join("; ", differences.Take(5))}{(differences.Count > 5 ? $"; and {differences.Count - 5} more" : string.Empty)}). Nothing was restored.");
        }
    }

    /// <summary>Every file asked for must be in the archive; one that is not is named, and nothing is restored.</summary>
    private static void EnsureHeld(PartitionDate date, string archivePath, HashSet<string> wanted, IEnumerable<string> held)
    {
        var missing = wanted.Except(held, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
        {
            throw new StorageNotFoundException(
                $"{(missing.Count == 1 ? missing[0] + " is" : $"{missing[0]} and {Quantity.Of(missing.Count - 1, "more file")} are")} not in the archive of {date} ({archivePath}); nothing was restored.");
        }
    }

    private static IEnumerable<string> PartitionsOf(ArchiveContents contents) =>
        contents.Files.Keys.Concat(contents.Directories)
            .Select(path => path.Split('/'))
            .Where(segments => segments.Length >= 2)
            .Select(segments => $"{segments[0]}/{segments[1]}")
            .Distinct(StringComparer.Ordinal);

}
