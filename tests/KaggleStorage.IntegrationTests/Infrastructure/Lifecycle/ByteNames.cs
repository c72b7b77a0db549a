using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// Names as the bytes they are on disk, through libc: System.IO lists a name that is not UTF-8 under a decoded
/// name with U+FFFD that does not exist, so it could neither read such a file nor tell it from another. The model
/// reads and writes every day with this (its own code, not the library's, so a bug there cannot hide one in the
/// product) and shows a name the way the tool must: valid UTF-8 as text, every other byte as <c>\xNN</c>.
/// Linux only (glibc's <c>struct dirent</c>), as are the SIGKILL and GNU tar tests beside it.
/// </summary>
internal static partial class ByteNames
{
    // glibc on x86-64 and arm64: d_ino (8), d_off (8), d_reclen (2), d_type (1), then d_name.
    private const int TypeOffset = 18;
    private const int NameOffset = 19;
    private const byte TypeDirectory = 4;
    private const byte TypeRegularFile = 8;
    private const byte TypeUnknown = 0;

    private const int OpenReadOnly = 0;
    private const int OpenWriteCreateTruncate = 0x1 | 0x40 | 0x200;
    private const int OpenNoFollow = 0x20000;

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The bytes of a path .NET can spell (the store's root, a day folder).</summary>
    public static byte[] Native(string path) => Encoding.UTF8.GetBytes(path);

    public static byte[] Join(byte[] directory, byte[] name) => [.. directory, (byte)'/', .. name];

    public static bool IsUtf8(ReadOnlySpan<byte> name)
    {
        try
        {
            _ = Strict.GetString(name);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }

    /// <summary>A name for people and for the model's keys: valid UTF-8 as text, anything else as <c>\xNN</c>.</summary>
    public static string Escape(ReadOnlySpan<byte> name)
    {
        var text = new StringBuilder(name.Length);
        while (!name.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(name, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done && !Rune.IsControl(rune))
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (var value in name[..consumed])
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{value:X2}");
                }
            }

            name = name[consumed..];
        }

        return text.ToString();
    }

    /// <summary>
    /// Every regular file under <paramref name="directory"/> at any depth (hidden ones and names that are not UTF-8
    /// included; links are not followed): its path relative to <paramref name="directory"/>, escaped, and its bytes.
    /// A missing folder has none.
    /// </summary>
    public static IEnumerable<(string Shown, byte[] Path, bool Utf8)> Files(string directory)
    {
        var native = Native(directory);
        return Exists(native) ? Walk(native, string.Empty, utf8: true) : [];
    }

    public static byte[] ReadAll(byte[] path)
    {
        using var stream = new FileStream(Open(path, OpenReadOnly | OpenNoFollow, 0), FileAccess.Read);
        using var content = new MemoryStream();
        stream.CopyTo(content);
        return content.ToArray();
    }

    public static void WriteAll(byte[] path, ReadOnlySpan<byte> content)
    {
        using var stream = new FileStream(Open(path, OpenWriteCreateTruncate, Convert.ToInt32("644", 8)), FileAccess.Write);
        stream.Write(content);
        stream.Flush(flushToDisk: true);
    }

    /// <summary>rename(2): replaces <paramref name="to"/> if it exists, as the ETL's and an operator's <c>mv</c> do.</summary>
    public static void Rename(byte[] from, byte[] to)
    {
        if (RenameNative([.. from, 0], [.. to, 0]) != 0)
        {
            throw new IOException($"rename {Escape(from)} → {Escape(to)} failed (errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>Renames, under <paramref name="directory"/>, every file whose name is not UTF-8 to <paramref name="rename"/>'s name for it.</summary>
    public static IReadOnlyList<(string From, string To)> RenameNonUtf8(string directory, Func<byte[], string> rename)
    {
        var renamed = new List<(string, string)>();
        foreach (var (shown, path, utf8) in Files(directory).ToList())
        {
            if (!utf8)
            {
                var slash = Array.LastIndexOf(path, (byte)'/');
                var name = rename(path[(slash + 1)..]);
                var target = Join(path[..slash], Native(name));
                Rename(path, target);
                var folder = shown.Contains('/', StringComparison.Ordinal) ? shown[..(shown.LastIndexOf('/') + 1)] : string.Empty;
                renamed.Add((shown, folder + name));
            }
        }

        return renamed;
    }

    private static IEnumerable<(string Shown, byte[] Path, bool Utf8)> Walk(byte[] directory, string shownPrefix, bool utf8)
    {
        foreach (var (name, type) in List(directory).OrderBy(entry => Convert.ToHexString(entry.Name), StringComparer.Ordinal))
        {
            var path = Join(directory, name);
            var shown = shownPrefix + Escape(name);
            var nameUtf8 = utf8 && IsUtf8(name);
            if (type == TypeDirectory)
            {
                foreach (var file in Walk(path, shown + "/", nameUtf8))
                {
                    yield return file;
                }
            }
            else if (type == TypeRegularFile)
            {
                yield return (shown, path, nameUtf8);
            }
            else if (type == TypeUnknown)
            {
                throw new InvalidOperationException($"{Escape(path)}: this file system does not report entry types; the model needs one that does.");
            }
        }
    }

    private static List<(byte[] Name, byte Type)> List(byte[] directory)
    {
        var handle = OpenDir([.. directory, 0]);
        if (handle == IntPtr.Zero)
        {
            throw new IOException($"Could not list {Escape(directory)} (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            var entries = new List<(byte[], byte)>();
            while (ReadDir(handle) is var entry && entry != IntPtr.Zero)
            {
                var length = 0;
                while (Marshal.ReadByte(entry, NameOffset + length) != 0)
                {
                    length++;
                }

                var name = new byte[length];
                Marshal.Copy(entry + NameOffset, name, 0, length);
                if (!(name is [(byte)'.'] or [(byte)'.', (byte)'.']))
                {
                    entries.Add((name, Marshal.ReadByte(entry, TypeOffset)));
                }
            }

            return entries;
        }
        finally
        {
            _ = CloseDir(handle);
        }
    }

    private static bool Exists(byte[] directory)
    {
        var handle = OpenDir([.. directory, 0]);
        if (handle == IntPtr.Zero)
        {
            return false;
        }

        _ = CloseDir(handle);
        return true;
    }

    private static SafeFileHandle Open(byte[] path, int flags, int mode)
    {
        var descriptor = OpenNative([.. path, 0], flags, mode);
        return descriptor < 0
            ? throw new IOException($"Could not open {Escape(path)} (errno {Marshal.GetLastPInvokeError()}).")
            : new SafeFileHandle(descriptor, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "opendir", SetLastError = true)]
    private static partial IntPtr OpenDir(byte[] path);

    [LibraryImport("libc", EntryPoint = "readdir")]
    private static partial IntPtr ReadDir(IntPtr directory);

    [LibraryImport("libc", EntryPoint = "closedir")]
    private static partial int CloseDir(IntPtr directory);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true)]
    private static partial int OpenNative(byte[] path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "rename", SetLastError = true)]
    private static partial int RenameNative(byte[] from, byte[] to);
}
