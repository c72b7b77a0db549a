using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>How much room the volume of a path has, for commands that refuse before writing rather than fill it.</summary>
internal static class FreeSpace
{
    /// <summary>Bytes available to this process on the volume holding <paramref name="path"/> (or its nearest existing parent); null when unknown.</summary>
    public static long? GetAvailableBytes(IFileSystem fileSystem, string path)
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
            return new DriveInfo(existing).AvailableFreeSpace;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return null;
        }
    }
}
