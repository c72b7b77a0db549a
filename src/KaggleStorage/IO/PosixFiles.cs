using System.IO.Abstractions;
using System.Runtime.InteropServices;
using System.Text;

namespace KaggleStorage.IO;

/// <summary>
/// What .NET does not expose: the type of an entry without following links (lstat), fsync of a directory or of a
/// file opened only for reading, and names as the bytes they are (listing, lstat and deletion of an entry whose
/// name is not UTF-8, which .NET lists under a decoded name that does not exist). Used only on a real file system;
/// a mock one has no disk.
/// </summary>
internal static unsafe partial class PosixFiles
{
    // The runtime's own portable lstat: its FileStatus is the same fixed-width struct on every architecture, with
    // the S_IF* type bits in Mode (offset 4). The buffer is larger than the struct so a newer runtime that grows
    // it cannot overrun it.
    private const int FileStatusBufferSize = 256;
    private const int ModeOffset = 4;
    private const int SizeOffset = 16;
    private const int TypeMask = 0xF000;

    private const int NoSuchEntry = 2;
    private const int PermissionDenied = 13;
    private const int NotADirectory = 20;

    // Same value on x86-64 and arm64 Linux and on macOS' O_RDONLY; O_NONBLOCK keeps a fifo from blocking the open.
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;

    // SYNC_FILE_RANGE_WRITE: start writeback of the range's dirty pages, without waiting for it.
    private const uint SyncFileRangeWrite = 2;

    /// <summary>Whether the paths of <paramref name="fileSystem"/> are real files this process can lstat and fsync.</summary>
    public static bool AppliesTo(IFileSystem fileSystem) => fileSystem is FileSystem && !OperatingSystem.IsWindows();

    /// <summary>The entry's type; a symbolic link is reported as such, never followed.</summary>
    public static EntryKind GetKind(string path) => GetKind(ToNative(path), out _);

    /// <summary>The entry's type and, for a regular file, its size; a symbolic link is reported, never followed.</summary>
    public static EntryKind GetKind(string path, out long sizeBytes) => GetKind(ToNative(path), out sizeBytes);

    /// <summary>
    /// The names in <paramref name="directory"/> as the disk holds them (without <c>.</c> and <c>..</c>), in the
    /// order the disk lists them; a name .NET cannot decode is listed all the same.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder is gone or is not a folder.</exception>
    /// <exception cref="UnauthorizedAccessException">The folder may not be read.</exception>
    /// <exception cref="IOException">The listing failed otherwise.</exception>
    public static List<byte[]> ListNames(string directory) => ListNames(ToNative(directory));

    /// <summary>
    /// Deletes a file, link or whole folder tree by the bytes of its names, so an entry whose name is not UTF-8 is
    /// deleted like any other; a link is removed, never followed. A missing path is already deleted.
    /// </summary>
    /// <exception cref="IOException">An entry could not be deleted.</exception>
    public static void DeleteTree(string path) => DeleteTree(ToNative(path));

    /// <summary>Deletes the entry <paramref name="name"/> (bytes as listed) of <paramref name="directory"/> as <see cref="DeleteTree(string)"/> does.</summary>
    /// <exception cref="IOException">An entry could not be deleted.</exception>
    public static void DeleteTree(string directory, byte[] name) => DeleteTree([.. ToNative(directory), (byte)'/', .. name]);

    /// <summary>A path for people: <paramref name="name"/> (bytes as listed) inside <paramref name="directory"/>, escaped where not UTF-8.</summary>
    public static string Describe(string directory, byte[] name) => Path.Combine(directory, EntryNames.Escape(name));

    private static void DeleteTree(byte[] path)
    {
        switch (GetKind(path, out _))
        {
            case EntryKind.Missing:
                return;
            case EntryKind.Directory:
                foreach (var name in ListNames(path))
                {
                    DeleteTree([.. path, (byte)'/', .. name]);
                }

                ThrowOnFailure(RmDir(NullTerminated(path)), "remove the folder", path);
                return;
            default:
                ThrowOnFailure(Unlink(NullTerminated(path)), "delete", path);
                return;
        }
    }

    private static List<byte[]> ListNames(byte[] directory)
    {
        var names = new List<byte[]>();
        var handle = OpenDir(NullTerminated(directory));
        if (handle == IntPtr.Zero)
        {
            var errno = Marshal.GetLastPInvokeError();
            var shown = EntryNames.Escape(directory);
            throw errno switch
            {
                NoSuchEntry or NotADirectory => new DirectoryNotFoundException($"Could not find the folder '{shown}'."),
                PermissionDenied => new UnauthorizedAccessException($"Access to the folder '{shown}' is denied."),
                _ => new IOException($"Could not list '{shown}' (errno {errno})."),
            };
        }

        try
        {
            while (true)
            {
                DirectoryEntry entry;
                var result = ReadDir(handle, &entry);
                if (result == -1)
                {
                    return names;
                }

                if (result != 0)
                {
                    throw new IOException($"Could not list '{EntryNames.Escape(directory)}' (errno {result}).");
                }

                var name = entry.NameLength >= 0
                    ? new ReadOnlySpan<byte>(entry.Name, entry.NameLength)
                    : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(entry.Name);
                if (!name.SequenceEqual("."u8) && !name.SequenceEqual(".."u8))
                {
                    names.Add(name.ToArray());
                }
            }
        }
        finally
        {
            _ = CloseDir(handle);
        }
    }

    private static EntryKind GetKind(byte[] path, out long sizeBytes)
    {
        sizeBytes = 0;
        var status = new byte[FileStatusBufferSize];
        if (LStat(NullTerminated(path), status) != 0)
        {
            // Only a name that is gone is missing. Any other failure (a folder readable but not searchable, a
            // failing disk) must not make a file silently drop out of its day.
            var errno = Marshal.GetLastPInvokeError();
            return errno is NoSuchEntry or NotADirectory
                ? EntryKind.Missing
                : throw (errno == PermissionDenied
                    ? new UnauthorizedAccessException($"Access to '{EntryNames.Escape(path)}' is denied.")
                    : new IOException($"Could not look at '{EntryNames.Escape(path)}' (errno {errno})."));
        }

        var kind = (BitConverter.ToInt32(status, ModeOffset) & TypeMask) switch
        {
            0x8000 => EntryKind.RegularFile,
            0x4000 => EntryKind.Directory,
            0xA000 => EntryKind.SymbolicLink,
            0x1000 => EntryKind.Fifo,
            0xC000 => EntryKind.Socket,
            0x2000 => EntryKind.CharacterDevice,
            0x6000 => EntryKind.BlockDevice,
            _ => EntryKind.Unknown,
        };
        if (kind == EntryKind.RegularFile)
        {
            sizeBytes = BitConverter.ToInt64(status, SizeOffset);
        }

        return kind;
    }

    // .NET hands paths to the system as UTF-8; a name that is not UTF-8 stays as its own bytes.
    private static byte[] ToNative(string path) => Encoding.UTF8.GetBytes(path);

    private static byte[] NullTerminated(byte[] path) => [.. path, 0];

    private static void ThrowOnFailure(int result, string action, byte[] path)
    {
        var errno = result == 0 ? 0 : Marshal.GetLastPInvokeError();
        if (errno is not 0 and not NoSuchEntry)
        {
            throw new IOException($"Could not {action} '{EntryNames.Escape(path)}' (errno {errno}).");
        }
    }

    /// <summary>
    /// Starts writing a finished file's data to disk without waiting for it (Linux <c>sync_file_range</c>), so the
    /// fsync before its publish finds the work done instead of doing all of it then. Only a head start: a file it
    /// cannot open is left to that fsync, which is what makes the file durable.
    /// </summary>
    public static void StartWriteBack(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var descriptor = Open(path, OpenReadOnly | OpenNonBlocking);
        if (descriptor >= 0)
        {
            _ = SyncFileRange(descriptor, 0, 0, SyncFileRangeWrite);
            _ = Close(descriptor);
        }
    }

    /// <summary>Forces a file's data, or a directory's entries, to disk.</summary>
    /// <exception cref="IOException">The entry cannot be opened or the disk refuses the flush.</exception>
    public static void FlushToDisk(string path)
    {
        var descriptor = Open(path, OpenReadOnly | OpenNonBlocking);
        if (descriptor < 0)
        {
            throw new IOException($"Could not open '{path}' to flush it to disk (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (FSync(descriptor) != 0)
            {
                throw new IOException($"Flushing '{path}' to disk failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(descriptor);
        }
    }

    /// <summary>
    /// Gives <paramref name="source"/> the second name <paramref name="destination"/>, failing when that name exists:
    /// the one create-if-absent that is atomic on local disks and on NFS alike (.NET's move without overwrite
    /// checks for the destination first and then renames, which two processes can both pass).
    /// </summary>
    /// <exception cref="IOException">The destination exists (or the link failed otherwise).</exception>
    public static void Link(string source, string destination)
    {
        if (LinkNative(source, destination) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException(errno == 17
                ? $"'{destination}' already exists."
                : $"Could not link '{source}' as '{destination}' (errno {errno}).");
        }
    }

    [LibraryImport("libc", EntryPoint = "link", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int LinkNative(string source, string destination);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", SetLastError = true)]
    private static partial int LStat(byte[] path, [Out] byte[] status);

    // The runtime's own readdir: its DirectoryEntry is the same on every platform, unlike struct dirent.
    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_OpenDir", SetLastError = true)]
    private static partial IntPtr OpenDir(byte[] path);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_ReadDir")]
    private static partial int ReadDir(IntPtr directory, DirectoryEntry* entry);

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_CloseDir")]
    private static partial int CloseDir(IntPtr directory);

    [LibraryImport("libc", EntryPoint = "unlink", SetLastError = true)]
    private static partial int Unlink(byte[] path);

    [LibraryImport("libc", EntryPoint = "rmdir", SetLastError = true)]
    private static partial int RmDir(byte[] path);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "sync_file_range")]
    private static partial int SyncFileRange(int descriptor, long offset, long count, uint flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);

    [StructLayout(LayoutKind.Sequential)]
    private struct DirectoryEntry
    {
        public byte* Name;
        public int NameLength;
        public int InodeType;
    }
}
