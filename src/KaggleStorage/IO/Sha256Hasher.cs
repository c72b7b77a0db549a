using System.Buffers;
using System.IO.Abstractions;
using System.Security.Cryptography;

namespace KaggleStorage.IO;

/// <summary>Streaming SHA-256 of a stream or file as lowercase hex, with a pooled buffer.</summary>
internal static class Sha256Hasher
{
    public static async Task<string> HashAsync(Stream? data, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        if (data is not null)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
            try
            {
                int read;
                while ((read = await data.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    public static async Task<string> HashFileAsync(IFileSystem fileSystem, string path, CancellationToken cancellationToken)
    {
        await using var stream = fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await HashAsync(stream, cancellationToken);
    }
}
