using System.IO.Abstractions;
using System.Security.Cryptography;

namespace KaggleStorage.IO;

/// <summary>Streaming SHA-256 of a stream or file as lowercase hex.</summary>
internal static class Sha256Hasher
{
    public static async Task<string> HashAsync(Stream? data, CancellationToken cancellationToken) =>
        Convert.ToHexStringLower(await SHA256.HashDataAsync(data ?? Stream.Null, cancellationToken));

    public static async Task<string> HashFileAsync(IFileSystem fileSystem, string path, CancellationToken cancellationToken)
    {
        await using var stream = fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        return await HashAsync(stream, cancellationToken);
    }
}
