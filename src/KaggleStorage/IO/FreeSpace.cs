using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>How much room the volume of a path has, for commands that refuse before writing rather than fill it.</summary>
internal static class FreeSpace
{
    /// <summary>
    /// Refuses before anything is written when the volume of <paramref name="path"/> has less room than
    /// <paramref name="neededBytes"/>: a shared volume filled to the last byte breaks every service that writes to
    /// it, and failing half-way and cleaning up is not enough.
    /// </summary>
    /// <exception cref="Errors.StorageOperationException">Not enough room; the message says what is needed and what is free.</exception>
    public static void EnsureRoom(IFileSystem fileSystem, string path, long neededBytes, string what) =>
        EnsureRoom(
            fileSystem,
            path,
            neededBytes,
            (needed, free) => $"{what} needs {needed} bytes ({ByteCount.Format(needed)}) on the volume of {path}, but only {free} ({ByteCount.Format(free)}) are free; nothing was written.");

    /// <summary>The same refusal, in the caller's words: <paramref name="refusal"/> gets the bytes needed and free.</summary>
    /// <exception cref="Errors.StorageOperationException">Not enough room.</exception>
    public static void EnsureRoom(IFileSystem fileSystem, string path, long neededBytes, Func<long, long, string> refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        if (GetAvailableBytes(fileSystem, path) is { } free && neededBytes > free)
        {
            throw new Errors.StorageOperationException(refusal(neededBytes, free));
        }
    }

    /// <summary>Bytes available to this process on the volume holding <paramref name="path"/> (or its nearest existing parent); null when unknown.</summary>
    public static long? GetAvailableBytes(IFileSystem fileSystem, string path) => GetVolume(fileSystem, path)?.Available;

    /// <summary>
    /// The size of the volume holding <paramref name="path"/> (or its nearest existing parent) and the bytes available
    /// to this process on it; null when unknown (a file system that is not the real one, or a volume that cannot be asked).
    /// </summary>
    public static (long Total, long Available)? GetVolume(IFileSystem fileSystem, string path)
    {
        if (fileSystem is not FileSystem)
        {
            return null;
        }

        var existing = fileSystem.Path.GetFullPath(path);
        while (!fileSystem.Directory.Exists(existing))
        {
            existing = fileSystem.Path.GetDirectoryName(existing);
            if (existing is null)
            {
                return null;
            }
        }

        try
        {
            // On Unix a DriveInfo of any folder reports the file system that folder lives on (statvfs).
            var volume = new DriveInfo(existing);
            return (volume.TotalSize, volume.AvailableFreeSpace);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
