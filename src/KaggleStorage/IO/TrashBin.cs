using System.IO.Abstractions;
using KaggleStorage.Layout;

namespace KaggleStorage.IO;

/// <summary>
/// Deletes in two steps so a crash never leaves something half-deleted under its real name: an atomic rename
/// into <c>&lt;root&gt;/.trash/</c>, then the slow recursive delete. Whatever a killed run left in the trash is
/// finished by the next one. On a real disk the delete goes by the bytes of each name, so an entry whose name is
/// not UTF-8 (which .NET lists under a name that does not exist) is deleted too and never wedges the trash.
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

    /// <summary>
    /// Deletes everything in the trash, including what an interrupted run left. Returns how many entries were
    /// deleted and, one line each, those that could not be: they stay for the next run (and status lists them),
    /// because an entry in the trash is no longer under a real name and must not stop the command that empties it.
    /// </summary>
    public (int Deleted, IReadOnlyList<string> Failures) Empty()
    {
        if (!fileSystem.Directory.Exists(TrashDirectory))
        {
            return (0, []);
        }

        var deleted = 0;
        var failures = new List<string>();
        if (PosixFiles.AppliesTo(fileSystem))
        {
            foreach (var name in PosixFiles.ListNames(TrashDirectory))
            {
                Try(() => PosixFiles.DeleteTree(TrashDirectory, name), PosixFiles.Describe(TrashDirectory, name));
            }
        }
        else
        {
            foreach (var entry in fileSystem.Directory.GetFileSystemEntries(TrashDirectory))
            {
                Try(() => DeleteTrashed(entry), entry);
            }
        }

        return (deleted, failures);

        void Try(Action delete, string shown)
        {
            try
            {
                delete();
                deleted++;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                failures.Add($"{shown}: {exception.Message}");
            }
        }
    }

    /// <summary>
    /// Puts a trashed entry back under <paramref name="path"/>. When something took that name meanwhile, the entry
    /// goes beside it as <c>&lt;path&gt;.kept-&lt;id&gt;</c> instead: never left in the trash, whose entries the next
    /// locked command deletes. Returns where it went.
    /// </summary>
    public string Restore(string trashed, string path)
    {
        try
        {
            Durable.Rename(fileSystem, trashed, path, overwrite: false);
            return path;
        }
        catch (IOException) when (fileSystem.Directory.Exists(path) || fileSystem.File.Exists(path))
        {
            var kept = $"{path}.kept-{Guid.NewGuid().ToString("N")[..8]}";
            Durable.Rename(fileSystem, trashed, kept, overwrite: false);
            return kept;
        }
    }

    /// <summary>Deletes an entry that is already in the trash.</summary>
    /// <exception cref="IOException">Part of it could not be deleted; what is left stays in the trash.</exception>
    public void DeleteTrashed(string trashed)
    {
        if (PosixFiles.AppliesTo(fileSystem))
        {
            PosixFiles.DeleteTree(trashed);
        }
        else if (fileSystem.Directory.Exists(trashed))
        {
            fileSystem.Directory.Delete(trashed, recursive: true);
        }
        else if (fileSystem.File.Exists(trashed))
        {
            fileSystem.File.Delete(trashed);
        }
    }
}
