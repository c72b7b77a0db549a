using System.IO.Abstractions;
using System.Runtime.InteropServices;

namespace KaggleStorage.IO;

/// <summary>
/// The two things .NET does not expose: the type of an entry without following links (lstat), and fsync of a
/// directory or of a file opened only for reading. Used only on a real file system; a mock one has no disk.
/// </summary>
internal static partial class PosixFiles
{
    // The runtime's own portable lstat: its FileStatus is the same fixed-width struct on every architecture, with
    // the S_IF* type bits in Mode (offset 4). The buffer is larger than the struct so a newer runtime that grows
    // it cannot overrun it.
    private const int FileStatusBufferSize = 256;
    private const int ModeOffset = 4;
    private const int TypeMask = 0xF000;

    // Same value on x86-64 and arm64 Linux and on macOS' O_RDONLY; O_NONBLOCK keeps a fifo from blocking the open.
    private const int OpenReadOnly = 0;
    private const int OpenNonBlocking = 0x800;

    /// <summary>Whether the paths of <paramref name="fileSystem"/> are real files this process can lstat and fsync.</summary>
    public static bool AppliesTo(IFileSystem fileSystem) => fileSystem is FileSystem && !OperatingSystem.IsWindows();

    /// <summary>The entry's type; a symbolic link is reported as such, never followed.</summary>
    public static EntryKind GetKind(string path)
    {
        var status = new byte[FileStatusBufferSize];
        if (LStat(path, status) != 0)
        {
            return EntryKind.Missing;
        }

        return (BitConverter.ToInt32(status, ModeOffset) & TypeMask) switch
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

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_LStat", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int LStat(string path, [Out] byte[] status);

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int descriptor);
}
