using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.IO;

/// <summary>
/// Deletes in two steps so a crash never leaves something half-deleted under its real name: an atomic rename
/// into <c>&lt;root&gt;/.trash/</c>, then the slow recursive delete. Whatever a killed run left in the trash is
/// finished by the next one.
/// </summary>
internal sealed class TrashBin(StorageLayout layout, IFileSystem fileSystem)
{
    public string TrashDirectory => fileSystem.Path.Combine(layout.Root, ".trash");

    /// <summary>Moves a file or folder into the trash and returns its name there.</summary>
    public string MoveToTrash(string path)
    {
        fileSystem.Directory.CreateDirectory(TrashDirectory);
        var target = fileSystem.Path.Combine(TrashDirectory, $"{Guid.NewGuid():N}-{fileSystem.Path.GetFileName(path)}");
        Durable.Rename(fileSystem, path, target, overwrite: false);
        return target;
    }

    /// <summary>Moves into the trash and deletes at once.</summary>
    public void Delete(string path) => DeleteTrashed(MoveToTrash(path));

    /// <summary>Deletes everything in the trash, including what an interrupted run left; returns how many entries.</summary>
    public int Empty()
    {
        if (!fileSystem.Directory.Exists(TrashDirectory))
        {
            return 0;
        }

        var entries = fileSystem.Directory.GetFileSystemEntries(TrashDirectory);
        foreach (var entry in entries)
        {
            DeleteTrashed(entry);
        }

        return entries.Length;
    }

    /// <summary>Puts a trashed entry back under <paramref name="path"/>, which must not exist again.</summary>
    public void Restore(string trashed, string path) => Durable.Rename(fileSystem, trashed, path, overwrite: false);

    /// <summary>Deletes an entry that is already in the trash.</summary>
    public void DeleteTrashed(string trashed)
    {
        if (fileSystem.Directory.Exists(trashed))
        {
            fileSystem.Directory.Delete(trashed, recursive: true);
        }
        else if (fileSystem.File.Exists(trashed))
        {
            fileSystem.File.Delete(trashed);
        }
    }
}
