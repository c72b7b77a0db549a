using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>
/// Reads a day folder under the store's one rule of what a day holds (see <see cref="DayContents"/>). It looks at
/// each entry with lstat and walks folders itself, so a link is reported, never followed, and a fifo is never
/// opened.
/// </summary>
internal sealed class DayContentsReader(IFileSystem fileSystem)
{
    /// <summary>Reads <paramref name="dayDirectory"/>; a missing folder reads as empty.</summary>
    public DayContents Read(string dayDirectory)
    {
        var files = new List<DayFile>();
        var directories = new List<string>();
        var problems = new List<string>();
        switch (KindOf(dayDirectory, fileSystem.Directory.Exists(dayDirectory)))
        {
            case EntryKind.Missing:
                return new DayContents(dayDirectory, [], [], []);
            case EntryKind.Directory:
                break;
            case var other:
                return new DayContents(dayDirectory, [], [], [$"{dayDirectory} is {Describe(other)}, not a folder"]);
        }

        var complete = true;
        var pending = new Stack<(string Path, string Prefix)>();
        pending.Push((dayDirectory, string.Empty));
        while (pending.Count > 0)
        {
            var (path, prefix) = pending.Pop();
            if (TryList(path, problems) is not { } listed)
            {
                complete = false;
                continue;
            }

            foreach (var entry in listed)
            {
                var name = prefix + entry.Name;
                switch (KindOf(entry))
                {
                    case EntryKind.RegularFile:
                        files.Add(new DayFile(name, entry.FullName, ((IFileInfo)entry).Length));
                        break;
                    case EntryKind.Directory:
                        directories.Add(name);
                        pending.Push((entry.FullName, name + "/"));
                        break;
                    case EntryKind.Missing:
                        // Removed between the listing and the look: it is not part of the day any more.
                        break;
                    case var other:
                        problems.Add($"{entry.FullName} is {Describe(other)}");
                        break;
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        directories.Sort(StringComparer.Ordinal);
        problems.Sort(StringComparer.Ordinal);
        return new DayContents(dayDirectory, files, directories, problems) { IsComplete = complete };
    }

    /// <summary>
    /// Lists one folder of the day, or records why it cannot be listed: a folder nobody may read (or a failing disk)
    /// is a problem of this day, named by its path, never of every command that reads the store.
    /// </summary>
    private List<IFileSystemInfo>? TryList(string path, List<string> problems)
    {
        try
        {
            return fileSystem.DirectoryInfo.New(path).EnumerateFileSystemInfos().ToList();
        }
        catch (DirectoryNotFoundException)
        {
            // Removed between the listing and the look: it is not part of the day any more.
            return [];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path} could not be read: {exception.Message.TrimEnd('.')}");
            return null;
        }
    }

    private EntryKind KindOf(IFileSystemInfo entry)
    {
        if (PosixFiles.AppliesTo(fileSystem))
        {
            return PosixFiles.GetKind(entry.FullName);
        }

        return entry.LinkTarget is not null ? EntryKind.SymbolicLink
            : entry is IDirectoryInfo ? EntryKind.Directory
            : EntryKind.RegularFile;
    }

    private EntryKind KindOf(string path, bool isDirectory)
    {
        if (PosixFiles.AppliesTo(fileSystem))
        {
            return PosixFiles.GetKind(path);
        }

        IFileSystemInfo info = isDirectory ? fileSystem.DirectoryInfo.New(path) : fileSystem.FileInfo.New(path);
        return info.Exists ? KindOf(info) : EntryKind.Missing;
    }

    private static string Describe(EntryKind kind) => kind switch
    {
        EntryKind.SymbolicLink => "a symbolic link (links are never followed)",
        EntryKind.Fifo => "a fifo (a day holds only regular files and folders)",
        EntryKind.Socket => "a socket (a day holds only regular files and folders)",
        EntryKind.CharacterDevice or EntryKind.BlockDevice => "a device (a day holds only regular files and folders)",
        EntryKind.RegularFile => "a regular file",
        _ => "of an unsupported type",
    };
}
