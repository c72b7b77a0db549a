using System.Buffers;
using System.IO.Abstractions;
using System.Security.Cryptography;

namespace KaggleStorage.IO;

/// <summary>
/// The one streaming SHA-256 of the library: a stream or file as lowercase hex, in one pass with flat memory,
/// optionally copied on the way and shown to a caller chunk by chunk (to count rows, report progress or stop at a
/// budget) so no file is ever read twice for what one read can tell.
/// </summary>
internal static class Sha256Hasher
{
    private const int BufferSize = 1 << 20;

    public static async Task<string> HashAsync(Stream? data, CancellationToken cancellationToken) =>
        (await ReadAsync(data ?? Stream.Null, copyTo: null, onChunk: null, cancellationToken)).Sha256;

    public static async Task<string> HashFileAsync(IFileSystem fileSystem, string path, CancellationToken cancellationToken)
    {
        await using var stream = OpenRead(fileSystem, path);
        return await HashAsync(stream, cancellationToken);
    }

    /// <summary>Opens a file for one sequential read; the pass's own buffer makes the stream's unnecessary.</summary>
    public static Stream OpenRead(IFileSystem fileSystem, string path) =>
        fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, useAsync: true);

    /// <summary>
    /// Reads <paramref name="source"/> to its end once: each chunk goes to <paramref name="onChunk"/> first (which may
    /// throw to stop the pass before the chunk is hashed or written), then into the hash, then to
    /// <paramref name="copyTo"/>.
    /// </summary>
    /// <returns>The lowercase hex SHA-256 and the number of bytes read.</returns>
    public static async Task<(string Sha256, long Size)> ReadAsync(
        Stream source, Stream? copyTo, Action<ReadOnlyMemory<byte>>? onChunk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long size = 0;
        try
        {
            int read;
            while ((read = await source.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken)) > 0)
            {
                onChunk?.Invoke(buffer.AsMemory(0, read));
                hash.AppendData(buffer, 0, read);
                if (copyTo is not null)
                {
                    await copyTo.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
                }

                size += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), size);
    }
}
