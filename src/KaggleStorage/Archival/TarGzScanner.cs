using System.Formats.Tar;
using System.IO.Abstractions;
using System.IO.Compression;

namespace KaggleStorage.Archival;

/// <summary>
/// Streams through a <c>.tar.gz</c> once, handing each entry to a callback, and hashes the compressed bytes on the
/// way. Any gzip or tar damage becomes an <see cref="InvalidDataException"/> naming the archive, the last good
/// entry and the compressed offset, so a broken backup is reported precisely rather than as a stack trace.
/// </summary>
internal sealed class TarGzScanner(IFileSystem fileSystem)
{
    public async Task<(string Sha256, long Size)> ScanAsync(
        string archivePath, Func<TarEntry, string, Task> onEntry, CancellationToken cancellationToken)
    {
        await using var compressed = new HashingReadStream(fileSystem.FileStream.New(
            archivePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, useAsync: true));
        var lastEntry = "(start of archive)";
        try
        {
            await using (var gzip = new GZipStream(compressed, CompressionMode.Decompress, leaveOpen: true))
            await using (var reader = new TarReader(gzip))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    var name = NormalizeName(entry.Name);
                    await onEntry(entry, name);
                    lastEntry = entry.Name;
                }

                // Drain the end-of-archive blocks and any trailing gzip member so the size and hash cover the file.
                await gzip.CopyToAsync(Stream.Null, cancellationToken);
            }
        }
        catch (Exception exception) when (exception is not UnsafeArchiveException
            and (InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException))
        {
            throw new InvalidDataException(
                $"Archive '{archivePath}' is corrupt or truncated after entry '{lastEntry}' (near compressed byte {compressed.BytesRead}): {exception.Message}",
                exception);
        }

        return (compressed.GetHashHex(), compressed.BytesRead);
    }

    /// <summary>GNU tar run as <c>tar czf x.tar.gz -C root .</c> writes <c>./raw/...</c>; both forms mean the same.</summary>
    public static string NormalizeName(string name)
    {
        while (name.StartsWith("./", StringComparison.Ordinal))
        {
            name = name[2..];
        }

        return name;
    }
}
