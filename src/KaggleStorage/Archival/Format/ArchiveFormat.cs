using System.Formats.Tar;
using System.IO.Abstractions;
using System.IO.Compression;
using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>
/// What a day's archive is on disk and in a bucket: a ustar tar of the day's files through gzip, named
/// <c>YYYYMMDD.tar.gz</c>, with an index beside it. Everything that depends on the codec (the suffix, the content
/// type, the compressing and decompressing streams, the size a day shrinks to) is answered here, so services and
/// stores ask this type instead of knowing gzip; the tar writer, the scanner and the names in this folder are its parts.
/// </summary>
internal static class ArchiveFormat
{
    /// <summary>What writing a day gave: its files' index entries, its block table and the length of its tar stream.</summary>
    internal sealed record WrittenDay(IReadOnlyList<ArchiveIndexEntry> Entries, IReadOnlyList<ArchiveBlock> Blocks, long TarSizeBytes);

    /// <summary>The suffix of a day's archive, <c>YYYYMMDD.tar.gz</c>; every file that belongs to it starts with the archive's name.</summary>
    public const string Suffix = ".tar.gz";

    /// <summary>The media type an object store records for an archive.</summary>
    public const string ContentType = "application/gzip";

    /// <summary>
    /// A safe bound on the bytes of the archive of <paramref name="sourceBytes"/> of day files. Day CSVs compress
    /// about 7 times (measured on the dataset's shape); a third of the day leaves room for data that compresses
    /// worse, and a real shortfall still fails cleanly with nothing published.
    /// </summary>
    public static long BoundCompressedBytes(long sourceBytes) => (sourceBytes / 3) + (16L << 20);

    /// <summary>
    /// Writes one day's archive to <paramref name="destination"/>: the day folders (root-relative, e.g.
    /// <c>raw/20241026</c>) and the files carried over from its previous archive, as tar through parallel gzip.
    /// </summary>
    /// <returns>The index entries of the files written, in archive order, with where the blocks went.</returns>
    public static async Task<WrittenDay> WriteDayAsync(
        IFileSystem fileSystem,
        IReadOnlyList<(string RelativeDirectory, DayContents Contents)> days,
        ArchiveCarryOver carried,
        Stream destination,
        IProgress<long>? bytesProgress,
        CancellationToken cancellationToken)
    {
        await using var gzip = new ParallelGzipStream(destination);
        var entries = await new PartitionTarWriter(fileSystem).WriteAsync(days, carried, gzip, bytesProgress, cancellationToken);
        await gzip.CompleteAsync(cancellationToken);
        return new WrittenDay(entries, [.. gzip.Blocks], gzip.UncompressedLength);
    }

    /// <summary>
    /// Reads an archive (<paramref name="source"/>, which it disposes) to its end, handing each entry to
    /// <paramref name="onEntry"/> with its normalized name, and returns the SHA-256 and size of the archive's bytes.
    /// Damage of any kind becomes an <see cref="InvalidDataException"/> naming <paramref name="location"/>.
    /// Given the archive's block table (<paramref name="blocks"/>), the blocks are inflated on every core and the
    /// table is held to the bytes; without one the archive is read as one gzip stream, as any tar.gz can be.
    /// </summary>
    public static Task<(string Sha256, long Size)> ScanAsync(
        Stream source, string location, Func<TarEntry, string, Task> onEntry, CancellationToken cancellationToken, IReadOnlyList<ArchiveBlock>? blocks = null) =>
        TarGzScanner.ScanAsync(source, location, onEntry, cancellationToken, blocks);

    /// <summary>Reads a file entry's data to its end and describes it as an index would.</summary>
    public static Task<ArchiveIndexEntry> DescribeEntryAsync(TarEntry entry, string name, CancellationToken cancellationToken) =>
        TarGzScanner.DescribeEntryAsync(entry, name, cancellationToken);

    /// <summary>Reads a file entry's data to its end and has <paramref name="hasher"/> describe it, off the reading thread.</summary>
    public static Task DescribeEntryAsync(
        TarEntry entry, string name, EntryHasher hasher, Action<ArchiveIndexEntry> onDescribed, CancellationToken cancellationToken) =>
        TarGzScanner.DescribeEntryAsync(entry, name, hasher, onDescribed, cancellationToken);

    /// <summary>
    /// The tar bytes of consecutive blocks, from the compressed bytes of exactly those blocks (which it disposes):
    /// every block ends on a sync flush with an empty dictionary behind it, so the run inflates alone once an empty
    /// final block ends it.
    /// </summary>
    internal static Stream OpenBlocks(Stream blocks) =>
        new DeflateStream(new ConcatenatedStream(blocks, new MemoryStream([0x03, 0x00], writable: false)), CompressionMode.Decompress);

    /// <summary>
    /// The tar stream inside an archive's bytes, for a reader that picks entries without scanning the whole archive;
    /// inflated block by block on every core when the archive's block table is given.
    /// </summary>
    internal static Stream OpenTarStream(Stream compressed, bool leaveOpen, IReadOnlyList<ArchiveBlock>? blocks = null) =>
        blocks is null
            ? new GZipStream(compressed, CompressionMode.Decompress, leaveOpen)
            : new ParallelGzipReader(compressed, blocks, leaveOpen: leaveOpen);
}
