using System.IO.Abstractions;
using System.Runtime.ExceptionServices;

namespace KaggleStorage.IO;

/// <summary>
/// The publish step of the store's one staged-write sequence: flush what was staged to disk, rename it into
/// place, flush the directories whose entries changed. Only <see cref="StagedDirectory"/>, <see cref="StagedFile"/>
/// and the lock file publish through it, so there is exactly one copy of the sequence; the writers that fill a staged
/// folder (restore, migration, download) only call <see cref="StartWriteBack"/> as each file is finished.
/// </summary>
internal static class Durable
{
    private const int FlushesAtOnce = 8;

    /// <summary>Flushes every regular file and directory under <paramref name="path"/> (or the file itself).</summary>
    public static void FlushTree(IFileSystem fileSystem, string path, CancellationToken cancellationToken)
    {
        if (!PosixFiles.AppliesTo(fileSystem))
        {
            return;
        }

        if (!fileSystem.Directory.Exists(path))
        {
            PosixFiles.FlushToDisk(path);
            return;
        }

        // Files first, then their directories deepest first, so each directory is flushed after its entries. The
        // files are flushed several at a time: each fsync waits for a journal commit, and concurrent ones share it.
        try
        {
            Parallel.ForEach(
                fileSystem.Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories),
                new ParallelOptions { MaxDegreeOfParallelism = FlushesAtOnce, CancellationToken = cancellationToken },
                file =>
                {
                    if (PosixFiles.GetKind(file) == EntryKind.RegularFile)
                    {
                        PosixFiles.FlushToDisk(file);
                    }
                });
        }
        catch (AggregateException exception)
        {
            // Callers handle the IOException a flush throws, as when the files were flushed one by one.
            ExceptionDispatchInfo.Capture(exception.InnerExceptions[0]).Throw();
        }

        foreach (var directory in fileSystem.Directory.EnumerateDirectories(path, "*", SearchOption.AllDirectories)
            .OrderByDescending(directory => directory.Length))
        {
            PosixFiles.FlushToDisk(directory);
        }

        PosixFiles.FlushToDisk(path);
    }

    /// <summary>
    /// The step before a staged entry's rename: the lock must still be held, everything staged is flushed, and the
    /// lock is checked again, so nothing is published by a writer that lost the lock while flushing.
    /// </summary>
    public static void PrepareToPublish(IFileSystem fileSystem, string stagedPath, Action ensureMayPublish, CancellationToken cancellationToken)
    {
        ensureMayPublish();
        FlushTree(fileSystem, stagedPath, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        ensureMayPublish();
    }

    /// <summary>
    /// Starts a finished staged file's disk writes now, while the writer goes on with the next file, so the flush
    /// before the publish finds the work mostly done. Only a head start: <see cref="FlushTree"/> still makes it durable.
    /// </summary>
    public static void StartWriteBack(IFileSystem fileSystem, string file)
    {
        if (PosixFiles.AppliesTo(fileSystem))
        {
            PosixFiles.StartWriteBack(file);
        }
    }

    /// <summary>Flushes a directory's entries (a rename into or out of it) to disk.</summary>
    public static void FlushDirectory(IFileSystem fileSystem, string directory)
    {
        if (PosixFiles.AppliesTo(fileSystem))
        {
            PosixFiles.FlushToDisk(directory);
        }
    }

    /// <summary>
    /// Renames a flushed file or directory to its final name and flushes both parents, so the rename survives a
    /// power cut. Without <paramref name="overwrite"/> an existing destination is an <see cref="IOException"/>.
    /// </summary>
    public static void Rename(IFileSystem fileSystem, string source, string destination, bool overwrite)
    {
        var parent = fileSystem.Path.GetDirectoryName(destination)
            ?? throw new ArgumentException($"'{destination}' has no parent directory.", nameof(destination));
        fileSystem.Directory.CreateDirectory(parent);
        if (fileSystem.Directory.Exists(source))
        {
            if (fileSystem.Directory.Exists(destination) || fileSystem.File.Exists(destination))
            {
                throw new IOException($"'{destination}' already exists.");
            }

            fileSystem.Directory.Move(source, destination);
        }
        else if (!overwrite && PosixFiles.AppliesTo(fileSystem))
        {
            // Link then unlink: atomic create-if-absent, so an existing destination is never replaced even by a race.
            PosixFiles.Link(source, destination);
            fileSystem.File.Delete(source);
        }
        else
        {
            fileSystem.File.Move(source, destination, overwrite);
        }

        FlushDirectory(fileSystem, parent);
        var sourceParent = fileSystem.Path.GetDirectoryName(source);
        if (sourceParent is not null && sourceParent != parent)
        {
            FlushDirectory(fileSystem, sourceParent);
        }
    }
}
