using System.IO.Abstractions;
using KaggleStorage.Errors;

namespace KaggleStorage.Tool.Demo;

/// <summary>
/// Makes a demo run repeatable: the demo builds only into a new or empty folder, or into one that an earlier demo
/// built there (it leaves a marker file that records the folder's own path), which it then empties first. Any other
/// non-empty folder is refused, so the demo can never wipe a real store, nor one whose marker came along in a copy
/// (<c>cp -a</c> of a demo store is a store someone kept).
/// </summary>
internal static class DemoDirectory
{
    /// <summary>The marker a demo leaves at the top of the folder it built.</summary>
    public const string MarkerFileName = ".kaggle-storage-demo";

    private const string FolderLinePrefix = "folder: ";

    /// <summary>
    /// Readies <paramref name="directory"/> (a full path) for a fresh demo: creates it, or empties it when an earlier
    /// demo built it in this very place, and marks it. Returns whether an earlier demo was reset.
    /// </summary>
    /// <exception cref="StorageInputException">
    /// The folder is a file, holds something a demo did not make, or holds a marker written for another folder.
    /// </exception>
    public static bool Prepare(IFileSystem fileSystem, string directory)
    {
        ArgumentNullException.ThrowIfNull(fileSystem);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (fileSystem.File.Exists(directory))
        {
            throw new StorageInputException($"'{directory}' is a file; the demo needs a new or empty folder.");
        }

        var marker = fileSystem.Path.Combine(directory, MarkerFileName);
        var reset = false;
        if (fileSystem.Directory.Exists(directory) && fileSystem.Directory.EnumerateFileSystemEntries(directory).Any())
        {
            if (!fileSystem.File.Exists(marker))
            {
                throw new StorageInputException(
                    $"'{directory}' is not empty and was not made by the demo; give the demo a new or empty folder (it resets only folders it built).");
            }

            var builtFor = ReadFolder(fileSystem, marker);
            if (!string.Equals(builtFor, directory, StringComparison.Ordinal))
            {
                throw new StorageInputException(builtFor is null
                    ? $"'{directory}' has a demo marker that does not say which folder it was made for; the demo resets only a folder it built there. Remove the folder (or its {MarkerFileName}) first if it may go."
                    : $"'{directory}' has a demo marker made for '{builtFor}': it was copied or moved here, and the demo resets only a folder it built in place. Remove the folder (or its {MarkerFileName}) first if it may go.");
            }

            foreach (var entry in fileSystem.Directory.EnumerateFileSystemEntries(directory).ToList())
            {
                if (fileSystem.Directory.Exists(entry) && fileSystem.FileInfo.New(entry).LinkTarget is null)
                {
                    fileSystem.Directory.Delete(entry, recursive: true);
                }
                else
                {
                    fileSystem.File.Delete(entry);
                }
            }

            reset = true;
        }

        fileSystem.Directory.CreateDirectory(directory);
        fileSystem.File.WriteAllText(
            marker,
            $"Built by 'kaggle-storage demo'; the next demo run in this folder empties it first.\n{FolderLinePrefix}{directory}\n");
        return reset;
    }

    private static string? ReadFolder(IFileSystem fileSystem, string marker) =>
        fileSystem.File.ReadAllLines(marker)
            .Where(line => line.StartsWith(FolderLinePrefix, StringComparison.Ordinal))
            .Select(line => line[FolderLinePrefix.Length..])
            .FirstOrDefault();
}
