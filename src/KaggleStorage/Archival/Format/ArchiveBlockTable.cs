namespace KaggleStorage.Archival;

/// <summary>
/// An index's block table, checked against the archive it describes before a reader trusts it: a table that lies
/// (a block past the end, blocks that overlap or leave a gap, files outside the tar stream) would make a reader
/// inflate the wrong bytes, so it is refused as damage instead.
/// </summary>
internal sealed class ArchiveBlockTable
{
    private readonly IReadOnlyList<ArchiveBlock> _blocks;

    private ArchiveBlockTable(IReadOnlyList<ArchiveBlock> blocks) => _blocks = blocks;

    /// <summary>
    /// The index's table when it has one and it describes an archive of <paramref name="archiveSize"/> bytes whole;
    /// null when the index has none (version 1, or rebuilt from an archive another tool wrote).
    /// </summary>
    /// <exception cref="InvalidDataException">The table or an entry's data offset does not fit the archive.</exception>
    public static ArchiveBlockTable? From(ArchiveIndex index, long archiveSize, string location)
    {
        ArgumentNullException.ThrowIfNull(index);
        if (index.Blocks is null || index.TarSizeBytes is not { } tarSize)
        {
            return null;
        }

        var blocks = index.Blocks;
        if (blocks.Count == 0)
        {
            throw Lying(location, "it lists no blocks");
        }

        long compressed = ParallelGzipStream.HeaderLength;
        long uncompressed = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.CompressedLength <= 0 || block.UncompressedLength <= 0)
            {
                throw Lying(location, $"block {i} has no bytes");
            }

            if (block.CompressedOffset != compressed || block.UncompressedOffset != uncompressed)
            {
                throw Lying(location, $"block {i} starts at compressed byte {block.CompressedOffset} and tar byte {block.UncompressedOffset}, where block {i - 1} ended at {compressed} and {uncompressed} (blocks overlap or leave a gap)");
            }

            compressed += block.CompressedLength;
            uncompressed += block.UncompressedLength;
            if (compressed > archiveSize)
            {
                throw Lying(location, $"block {i} ends at byte {compressed}, past the end of the {archiveSize}-byte archive");
            }
        }

        if (compressed + ParallelGzipStream.TrailerLength != archiveSize)
        {
            throw Lying(location, $"its blocks end at byte {compressed}, but the archive is {archiveSize} bytes");
        }

        if (uncompressed != tarSize)
        {
            throw Lying(location, $"its blocks hold {uncompressed} bytes of tar, but it says the tar is {tarSize} bytes");
        }

        foreach (var entry in index.Entries)
        {
            if (entry.DataOffset is { } offset && (offset < 0 || entry.SizeBytes < 0 || offset > tarSize - entry.SizeBytes))
            {
                throw Lying(location, $"{entry.Path} is said to lie at tar bytes {offset} to {offset + entry.SizeBytes}, outside the {tarSize}-byte tar stream");
            }
        }

        return new ArchiveBlockTable(blocks);
    }

    /// <summary>The blocks, in order.</summary>
    public IReadOnlyList<ArchiveBlock> Blocks => _blocks;

    /// <summary>
    /// The index's blocks when they describe <paramref name="archive"/> whole, so a reader may inflate it on every core;
    /// null otherwise: no table, an index of other bytes (a replace was stopped, the object was changed), or a table
    /// that lies. Then the archive is read as one gzip stream, and the checks that follow (verify's report of the
    /// table, the index's hashes) say what is wrong in their own words instead of a refused table hiding them.
    /// </summary>
    public static IReadOnlyList<ArchiveBlock>? TryTrusted(ArchiveIndex? index, ArchiveObjectInfo? archive, string location)
    {
        if (index is null || archive is not { IsFolder: false } || index.ArchiveSizeBytes != archive.SizeBytes)
        {
            return null;
        }

        try
        {
            return From(index, archive.SizeBytes, location)?.Blocks;
        }
        catch (InvalidDataException)
        {
            return null;
        }
    }

    /// <summary>The blocks that hold tar bytes [<paramref name="offset"/>, <paramref name="offset"/> + <paramref name="length"/>), in order; none for no bytes.</summary>
    public IReadOnlyList<ArchiveBlock> Covering(long offset, long length)
    {
        if (length == 0)
        {
            return [];
        }

        var first = FindBlock(offset);
        var last = FindBlock(offset + length - 1);
        return [.. _blocks.Skip(first).Take(last - first + 1)];
    }

    private int FindBlock(long tarOffset)
    {
        var (low, high) = (0, _blocks.Count - 1);
        while (low < high)
        {
            var middle = (low + high + 1) / 2;
            if (_blocks[middle].UncompressedOffset <= tarOffset)
            {
                low = middle;
            }
            else
            {
                high = middle - 1;
            }
        }

        return low;
    }

    private static InvalidDataException Lying(string location, string why) =>
        new($"The block table of {location} does not describe its archive: {why}; the index is damaged.");
}
