using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>
/// A <c>.staging</c> folder: names staged entries after the lock acquisition that owns them
/// (<c>&lt;owner&gt;-&lt;purpose&gt;-&lt;id&gt;</c>), and tells and removes what earlier owners left. Only the holder
/// of the store lock stages, so any entry of another owner is what a killed run left behind.
/// </summary>
internal sealed class StagingArea(IFileSystem fileSystem, string directory)
{
    private const string AsideSuffix = ".aside";
    private const string TargetSuffix = ".target";

    public string Directory => directory;

    public StagedDirectory CreateDirectory(string owner, string purpose, Action ensureMayPublish) =>
        new(fileSystem, NewPath(owner, purpose), ensureMayPublish);

    public StagedFile CreateFile(string owner, string purpose, Action ensureMayPublish) =>
        new(fileSystem, NewPath(owner, purpose), ensureMayPublish);

    /// <summary>
    /// Entries left by other owners, with their size in bytes and, for a folder an interrupted replace moved aside
    /// while nothing took its place, where it goes back to (it is then the only copy, not something to discard).
    /// </summary>
    public IReadOnlyList<(string Path, long Bytes, string? PutBackTo)> ListLeftovers(string? currentOwner)
    {
        if (!fileSystem.Directory.Exists(directory))
        {
            return [];
        }

        return fileSystem.Directory.EnumerateFileSystemEntries(directory)
            .Where(path => currentOwner is null || !IsOwnedBy(path, currentOwner))
            .Order(StringComparer.Ordinal)
            .Select(path => (path, SizeOf(path), FindPutBackTarget(path)))
            .ToList();
    }

    private string? FindPutBackTarget(string path)
    {
        var record = path + TargetSuffix;
        if (!path.EndsWith(AsideSuffix, StringComparison.Ordinal) || !fileSystem.File.Exists(record))
        {
            return null;
        }

        var target = fileSystem.File.ReadAllText(record);
        return target.Length > 0 && !fileSystem.Directory.Exists(target) && !fileSystem.File.Exists(target) ? target : null;
    }

    /// <summary>
    /// Removes every entry not owned by <paramref name="owner"/>. A folder moved aside by an interrupted replace is
    /// put back where it came from when nothing took its place, so a kill mid-swap loses nothing. Returns how many
    /// entries were cleaned.
    /// </summary>
    public int RemoveLeftovers(string owner)
    {
        if (!fileSystem.Directory.Exists(directory))
        {
            return 0;
        }

        var cleaned = 0;
        foreach (var path in fileSystem.Directory.EnumerateFileSystemEntries(directory).Where(path => !IsOwnedBy(path, owner)).ToList())
        {
            if (path.EndsWith(TargetSuffix, StringComparison.Ordinal))
            {
                continue;
            }

            var record = path + TargetSuffix;
            if (path.EndsWith(AsideSuffix, StringComparison.Ordinal) && fileSystem.File.Exists(record))
            {
                var target = fileSystem.File.ReadAllText(record);
                if (target.Length > 0 && !fileSystem.Directory.Exists(target) && !fileSystem.File.Exists(target))
                {
                    Durable.Rename(fileSystem, path, target, overwrite: false);
                }
            }

            try
            {
                Delete(path);
                cleaned++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // One leftover that cannot be removed must not stop every locked command; status keeps listing it
                // and the next holder tries again.
            }
        }

        foreach (var orphan in fileSystem.Directory.EnumerateFiles(directory, "*" + TargetSuffix).Where(path => !IsOwnedBy(path, owner)).ToList())
        {
            fileSystem.File.Delete(orphan);
        }

        return cleaned;
    }

    internal static string AsideNameFor(IFileSystem fileSystem, string stagedPath) => stagedPath + AsideSuffix;

    /// <summary>Writes, before the old folder moves aside, where it must go back to if the swap is interrupted.</summary>
    internal static void RecordAside(IFileSystem fileSystem, string aside, string destination)
    {
        var record = aside + TargetSuffix;
        fileSystem.File.WriteAllText(record, destination);
        Durable.FlushTree(fileSystem, record, CancellationToken.None);
        Durable.FlushDirectory(fileSystem, fileSystem.Path.GetDirectoryName(record)!);
    }

    internal static void ForgetAside(IFileSystem fileSystem, string aside)
    {
        var record = aside + TargetSuffix;
        if (fileSystem.File.Exists(record))
        {
            fileSystem.File.Delete(record);
        }
    }

    private string NewPath(string owner, string purpose) =>
        fileSystem.Path.Combine(directory, $"{owner}-{purpose}-{Guid.NewGuid().ToString("N")[..12]}");

    private bool IsOwnedBy(string path, string owner) =>
        fileSystem.Path.GetFileName(path).StartsWith(owner + "-", StringComparison.Ordinal);

    private void Delete(string path)
    {
        if (PosixFiles.AppliesTo(fileSystem))
        {
            // By the bytes of each name: an entry .NET cannot address (a name that is not UTF-8) must not wedge it.
            PosixFiles.DeleteTree(path);
        }
        else if (fileSystem.Directory.Exists(path) && PosixKind(path) != EntryKind.SymbolicLink)
        {
            fileSystem.Directory.Delete(path, recursive: true);
        }
        else if (fileSystem.File.Exists(path) || fileSystem.Directory.Exists(path))
        {
            fileSystem.File.Delete(path);
        }
    }

    private EntryKind PosixKind(string path) =>
        PosixFiles.AppliesTo(fileSystem) ? PosixFiles.GetKind(path) : EntryKind.Directory;

    private long SizeOf(string path)
    {
        if (!fileSystem.Directory.Exists(path))
        {
            return fileSystem.File.Exists(path) ? fileSystem.FileInfo.New(path).Length : 0;
        }

        // Read like a day (lstat, links not followed): a name .NET cannot address has no size, but no crash either.
        return new DayContentsReader(fileSystem).Read(path).TotalBytes;
    }
}
