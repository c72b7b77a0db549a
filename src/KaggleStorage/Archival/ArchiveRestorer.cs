using System.IO.Abstractions;
using KaggleStorage.Errors;
using KaggleStorage.Layout;
using KaggleStorage.Locking;

namespace KaggleStorage.Archival;

/// <summary>
/// Restores a day's archive into the store root (or another folder): checks every entry first, extracts into a
/// staging folder on the target's volume, then moves the partitions into place. Existing files are never
/// overwritten without <c>force</c>. Restoring into the store takes the store lock.
/// </summary>
public sealed class ArchiveRestorer(StorageLayout layout, IFileSystem fileSystem, StoreLock storeLock)
{
    private readonly SafeArchiveExtractor _extractor = new(fileSystem, new TarGzScanner(fileSystem));

    /// <summary>Restores one day.</summary>
    /// <param name="date">The day.</param>
    /// <param name="into">Target folder; null for the store root.</param>
    /// <param name="force">Replace files that already exist.</param>
    /// <param name="cancellationToken">Cancels; nothing partial is left under a final name.</param>
    /// <exception cref="StorageInputException">There is no archive for the day.</exception>
    /// <exception cref="StorageOperationException">Files exist and <paramref name="force"/> is false.</exception>
    /// <exception cref="InvalidDataException">The archive is corrupt; nothing was written.</exception>
    /// <exception cref="UnsafeArchiveException">The archive holds an unsafe entry; nothing was written.</exception>
    public async Task<RestoreResult> RestoreAsync(PartitionDate date, string? into, bool force, CancellationToken cancellationToken = default)
    {
        var archivePath = layout.GetArchivePath(date);
        if (!fileSystem.File.Exists(archivePath))
        {
            throw new StorageInputException($"There is no archive for {date} ({archivePath}).");
        }

        var target = into is null ? layout.Root : fileSystem.Path.GetFullPath(into);
        var intoStore = string.Equals(fileSystem.Path.TrimEndingDirectorySeparator(target), layout.Root, StringComparison.Ordinal);
        await using var held = intoStore ? await storeLock.AcquireAsync("restore", cancellationToken) : null;

        var contents = await _extractor.ValidateAsync(archivePath, date, cancellationToken);
        var existing = contents.Files.Where(file => fileSystem.File.Exists(fileSystem.Path.Combine(target, file))).ToList();
        if (existing.Count > 0 && !force)
        {
            throw new StorageOperationException(
                $"Restoring {date} would overwrite {existing.Count} existing file(s) in {target}, e.g. {existing[0]}; use --force to replace them.");
        }

        var stagingRoot = intoStore ? layout.StagingDirectory : fileSystem.Path.Combine(target, ".staging");
        var staging = fileSystem.Path.Combine(stagingRoot, $"restore-{date}-{Guid.NewGuid():N}");
        try
        {
            fileSystem.Directory.CreateDirectory(staging);
            await _extractor.ExtractAsync(archivePath, staging, cancellationToken);
            var replaced = 0;
            foreach (var partition in PartitionsOf(contents))
            {
                replaced += Publish(fileSystem.Path.Combine(staging, partition), fileSystem.Path.Combine(target, partition));
            }

            return new RestoreResult(date, archivePath, target, contents.Files.Count, replaced);
        }
        finally
        {
            if (fileSystem.Directory.Exists(staging))
            {
                fileSystem.Directory.Delete(staging, recursive: true);
            }

            if (!intoStore && fileSystem.Directory.Exists(stagingRoot) && !fileSystem.Directory.EnumerateFileSystemEntries(stagingRoot).Any())
            {
                fileSystem.Directory.Delete(stagingRoot);
            }
        }
    }

    private static IEnumerable<string> PartitionsOf(ArchiveContents contents) =>
        contents.Files.Concat(contents.Directories)
            .Select(path => path.Split('/'))
            .Where(segments => segments.Length >= 2)
            .Select(segments => $"{segments[0]}/{segments[1]}")
            .Distinct(StringComparer.Ordinal);

    private int Publish(string staged, string final)
    {
        if (!fileSystem.Directory.Exists(final))
        {
            fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(final)!);
            fileSystem.Directory.Move(staged, final);
            return 0;
        }

        // The day partly exists: move file by file; each move is atomic, and existing ones were allowed by force.
        var replaced = 0;
        foreach (var file in fileSystem.Directory.EnumerateFiles(staged, "*", SearchOption.AllDirectories).ToList())
        {
            var destination = fileSystem.Path.Combine(final, fileSystem.Path.GetRelativePath(staged, file));
            fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(destination)!);
            if (fileSystem.File.Exists(destination))
            {
                replaced++;
            }

            fileSystem.File.Move(file, destination, overwrite: true);
        }

        return replaced;
    }
}
