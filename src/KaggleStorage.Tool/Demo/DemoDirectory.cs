using System.IO.Abstractions;
using KaggleStorage.Errors;

namespace KaggleStorage.Demo;

/// <summary>
/// Makes a demo run repeatable: the demo builds only into a new or empty folder, or into one that an earlier demo
/// built (it leaves a marker file), which it then empties first. Any other non-empty folder is refused, so the
/// demo can never wipe a real store.
/// </summary>
internal static class DemoDirectory
{
    /// <summary>The marker a demo leaves at the top of the folder it built.</summary>
    public const string MarkerFileName = ".kaggle-storage-demo";

    /// <summary>
    /// Readies <paramref name="directory"/> for a fresh demo: creates it, or empties it when an earlier demo built
    /// it, and marks it. Returns whether an earlier demo was reset.
    /// </summary>
    /// <exception cref="StorageInputException">The folder is a file, or holds something a demo did not make.</exception>
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
        fileSystem.File.WriteAllText(marker, "Built by 'kaggle-storage demo'; the next demo run in this folder empties it first.\n");
        return reset;
    }
}
