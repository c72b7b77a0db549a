using System.IO.Abstractions;

namespace KaggleStorage.IO;

/// <summary>
/// Reads a day folder under the store's one rule of what a day holds (see <see cref="DayContents"/>). It looks at
/// each entry with lstat and walks folders itself, so a link is reported, never followed, and a fifo is never
/// opened. On a real disk it lists names as bytes: a name that is not UTF-8 is a problem of the day, named with
/// its bytes escaped, never dropped (.NET's own listing decodes it to a name that does not exist, which lstat
/// then calls missing).
/// </summary>
internal sealed class DayContentsReader(IFileSystem fileSystem)
{
    /// <summary>Reads <paramref name="dayDirectory"/>; a missing folder reads as empty.</summary>
    public DayContents Read(string dayDirectory)
    {
        var files = new List<DayFile>();
        var directories = new List<string>();
        var problems = new List<string>();
        var nonUtf8 = new List<string>();
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

            foreach (var (entryName, fullName, kind, sizeBytes) in listed)
            {
                if (entryName is null)
                {
                    // A name that is not UTF-8 cannot be opened, archived or deleted through .NET: the day is refused
                    // rather than read without it.
                    problems.Add($"{fullName} {EntryNames.NotUtf8}");
                    nonUtf8.Add(fullName);
                    continue;
                }

                var name = prefix + entryName;
                switch (kind)
                {
                    case EntryKind.RegularFile:
                        files.Add(new DayFile(name, fullName, sizeBytes));
                        break;
                    case EntryKind.Directory:
                        directories.Add(name);
                        pending.Push((fullName, name + "/"));
                        break;
                    case EntryKind.Missing:
                        // Removed between the listing and the look: it is not part of the day any more.
                        break;
                    case var other:
                        problems.Add($"{fullName} is {Describe(other)}");
                        break;
                }
            }
        }

        files.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        directories.Sort(StringComparer.Ordinal);
        problems.Sort(StringComparer.Ordinal);
        nonUtf8.Sort(StringComparer.Ordinal);
        return new DayContents(dayDirectory, files, directories, problems) { IsComplete = complete, NonUtf8Names = nonUtf8 };
    }

    /// <summary>
    /// Lists one folder of the day, or records why it cannot be listed: a folder nobody may read (or a failing disk)
    /// is a problem of this day, named by its path, never of every command that reads the store.
    /// </summary>
    private List<(string? Name, string FullName, EntryKind Kind, long SizeBytes)>? TryList(string path, List<string> problems)
    {
        try
        {
            return List(path);
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

    /// <summary>
    /// The entries of one folder: on a real disk listed as bytes, so a name that is not UTF-8 comes back with a null
    /// name and its path escaped, instead of under a decoded name that does not exist on disk.
    /// </summary>
    private List<(string? Name, string FullName, EntryKind Kind, long SizeBytes)> List(string path)
    {
        if (!PosixFiles.AppliesTo(fileSystem))
        {
            return fileSystem.DirectoryInfo.New(path).EnumerateFileSystemInfos()
                .Select(entry => ((string?)entry.Name, entry.FullName, KindOf(entry), entry is IFileInfo file ? file.Length : 0L))
                .ToList();
        }

        var entries = new List<(string?, string, EntryKind, long)>();
        foreach (var bytes in PosixFiles.ListNames(path))
        {
            if (!EntryNames.TryDecode(bytes, out var name))
            {
                entries.Add((null, fileSystem.Path.Combine(path, EntryNames.Escape(bytes)), EntryKind.Unknown, 0));
                continue;
            }

            var fullName = fileSystem.Path.Combine(path, name);
            var kind = PosixFiles.GetKind(fullName, out var sizeBytes);
            entries.Add((name, fullName, kind, sizeBytes));
        }

        return entries;
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
