using System.Formats.Tar;
using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>
/// Streams through a <c>.tar.gz</c> once, handing each entry to a callback, and hashes the compressed bytes on the
/// way. Any gzip or tar damage becomes an <see cref="InvalidDataException"/> naming the archive, the last good
/// entry and the compressed offset, so a broken backup is reported precisely rather than as a stack trace.
/// </summary>
internal static class TarGzScanner
{
    /// <summary>
    /// Reads <paramref name="source"/> (which it disposes) to its end; <paramref name="archivePath"/> names it in
    /// messages. With the archive's <paramref name="blocks"/>, its blocks are inflated in parallel.
    /// </summary>
    public static async Task<(string Sha256, long Size)> ScanAsync(
        Stream source, string archivePath, Func<TarEntry, string, Task> onEntry, CancellationToken cancellationToken, IReadOnlyList<ArchiveBlock>? blocks = null)
    {
        await using var compressed = new HashingReadStream(source);
        var lastEntry = "(start of archive)";
        try
        {
            await using (var gzip = ArchiveFormat.OpenTarStream(compressed, leaveOpen: true, blocks))
            await using (var tar = new Crc32ReadStream(gzip, new TarHeaderChecker()))
            await using (var reader = new TarReader(tar))
            {
                while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
                {
                    if (entry.Name.Contains('\uFFFD', StringComparison.Ordinal))
                    {
                        throw UnsafeArchive.Refused(
                            $"Archive '{archivePath}' refused: entry '{entry.Name}' has a name that is not valid UTF-8.");
                    }

                    var name = NormalizeName(entry.Name);
                    await onEntry(entry, name);
                    lastEntry = entry.Name;
                }

                // Drain the end-of-archive blocks and any trailing gzip member so the size and hash cover the file.
                await tar.CopyToAsync(Stream.Null, cancellationToken);
                await compressed.CopyToAsync(Stream.Null, cancellationToken);
                CheckTrailer(compressed, tar.Crc, tar.BytesRead);
            }
        }
        catch (Exception exception) when (!UnsafeArchive.IsRefusal(exception)
            && exception is InvalidDataException or EndOfStreamException or FormatException or InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException(
                $"Archive '{archivePath}' is corrupt or truncated after entry '{lastEntry}' (near compressed byte {compressed.BytesRead}): {Explain(exception)}",
                exception);
        }

        return (compressed.GetHashHex(), compressed.BytesRead);
    }

    /// <summary>
    /// The BCL's GZipStream ends quietly when a file is cut inside its last bytes (measured on .NET 10), so the
    /// trailer is checked here: its CRC-32 and length must be those of what was decompressed. The trailer is the
    /// last eight bytes the stream delivered, so the check costs no second read, from a disk or from a bucket. This
    /// holds for the single-member gzip files this library, GNU gzip and pigz write; an archive made of several
    /// concatenated members would be refused as damaged.
    /// </summary>
    private static void CheckTrailer(HashingReadStream compressed, uint crc, long length)
    {
        if (compressed.BytesRead < 18)
        {
            throw new InvalidDataException("the file is too short to be a gzip stream");
        }

        var trailer = compressed.Tail;
        var expectedCrc = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        var expectedLength = System.Buffers.Binary.BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
        if (expectedCrc != crc || expectedLength != unchecked((uint)length))
        {
            throw new InvalidDataException("the gzip trailer does not match the data (the file is cut short or damaged at its end)");
        }
    }

    private static string Explain(Exception exception) => exception switch
    {
        // zlib's "incorrect data check" and "invalid block" both surface from GZipStream under this one message.
        InvalidDataException { Source: "System.IO.Compression" } when exception.Message.Contains("unsupported compression method", StringComparison.Ordinal) =>
            "the gzip data is damaged (a compressed block or the gzip CRC-32 does not check out)",
        ArgumentOutOfRangeException or OverflowException =>
            "a tar header holds a number out of range (for example a modification time before year 1 or after 9999)",
        _ => exception.Message,
    };

    /// <summary>Reads a file entry's data to its end and describes it as an index would: path, size, SHA-256, mode, time.</summary>
    public static async Task<ArchiveIndexEntry> DescribeEntryAsync(TarEntry entry, string name, CancellationToken cancellationToken) =>
        new(name, entry.Length, await Sha256Hasher.HashAsync(entry.DataStream ?? Stream.Null, cancellationToken),
            PartitionTarWriter.FormatMode(entry.Mode), entry.ModificationTime);

    /// <summary>
    /// Reads a file entry's data to its end on the calling thread and has <paramref name="hasher"/> hash it on its
    /// own task; <paramref name="onDescribed"/> then gets the entry as an index would describe it, there.
    /// </summary>
    public static Task DescribeEntryAsync(
        TarEntry entry, string name, EntryHasher hasher, Action<ArchiveIndexEntry> onDescribed, CancellationToken cancellationToken)
    {
        var (length, mode, modified) = (entry.Length, PartitionTarWriter.FormatMode(entry.Mode), entry.ModificationTime);
        return hasher.FeedAsync(
            entry.DataStream, output: null, onChunk: null, (sha256, _) => onDescribed(new(name, length, sha256, mode, modified)), cancellationToken);
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
