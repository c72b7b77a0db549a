using System.Text;
using KaggleStorage.Archival;

namespace KaggleStorage.Tests.Archival;

public sealed class ParallelGzipReaderTests
{
    private const int Block = 64 * 1024;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    [InlineData(Block * 3)]
    [InlineData((Block * 7) + 12345)]
    [InlineData((Block * 40) + 1)]
    public async Task Reads_back_what_the_parallel_writer_wrote(int length)
    {
        var input = Csv(length);
        var (compressed, blocks) = await CompressAsync(input);

        var output = await InflateAsync(compressed, blocks, maxBlocksInFlight: 3);

        Assert.Equal(input, output);
        Assert.Equal((length + Block - 1) / Block, blocks.Count);
    }

    [Fact]
    public async Task Reads_back_random_bytes_that_do_not_compress()
    {
        var input = new byte[(Block * 5) + 77];
        new Random(7).NextBytes(input);
        var (compressed, blocks) = await CompressAsync(input);

        Assert.Equal(input, await InflateAsync(compressed, blocks, maxBlocksInFlight: 2));
    }

    [Fact]
    public async Task The_writers_block_table_tiles_the_file_between_header_and_trailer()
    {
        var (compressed, blocks) = await CompressAsync(Csv((Block * 9) + 5));

        Assert.Equal(10, blocks[0].CompressedOffset);
        Assert.Equal(0, blocks[0].UncompressedOffset);
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i - 1].CompressedOffset + blocks[i - 1].CompressedLength, blocks[i].CompressedOffset);
            Assert.Equal(blocks[i - 1].UncompressedOffset + blocks[i - 1].UncompressedLength, blocks[i].UncompressedOffset);
        }

        Assert.Equal(compressed.Length - 10, blocks[^1].CompressedOffset + blocks[^1].CompressedLength);
    }

    [Fact]
    public async Task Blocks_in_flight_stay_bounded()
    {
        var input = Csv(Block * 64);
        var (compressed, blocks) = await CompressAsync(input);
        await using var reader = new ParallelGzipReader(new MemoryStream(compressed), blocks, maxBlocksInFlight: 3);

        var buffer = new byte[4096];
        while (await reader.ReadAsync(buffer) > 0)
        {
        }

        Assert.InRange(reader.PeakBlocksInFlight, 1, 3);
    }

    public static TheoryData<string> Lies => new()
    {
        "offset past the end",
        "overlapping blocks",
        "a gap between blocks",
        "inflated length one short",
        "inflated length one long",
        "compressed length one short",
        "compressed length one long",
        "a block missing at the end",
        "a block missing at the start",
        "a huge block",
        "a block of zero bytes",
        "tar offset shifted",
    };

    [Theory]
    [MemberData(nameof(Lies))]
    public async Task A_block_table_that_lies_is_refused(string lie)
    {
        var input = Csv((Block * 6) + 999);
        var (compressed, blocks) = await CompressAsync(input);
        var table = blocks.ToList();
        var last = table[^1];
        switch (lie)
        {
            case "offset past the end":
                table.Add(new ArchiveBlock(last.CompressedOffset + last.CompressedLength, compressed.Length, last.UncompressedOffset + last.UncompressedLength, Block));
                break;
            case "overlapping blocks":
                table[2] = table[2] with { CompressedOffset = table[2].CompressedOffset - 10, CompressedLength = table[2].CompressedLength + 10 };
                break;
            case "a gap between blocks":
                table[2] = table[2] with { CompressedOffset = table[2].CompressedOffset + 1, CompressedLength = table[2].CompressedLength - 1 };
                break;
            case "inflated length one short":
                table = Shift(table, 3, uncompressed: -1);
                break;
            case "inflated length one long":
                table = Shift(table, 3, uncompressed: 1);
                break;
            case "compressed length one short":
                table = Shift(table, 3, compressed: -1);
                break;
            case "compressed length one long":
                table = Shift(table, 3, compressed: 1);
                break;
            case "a block missing at the end":
                table.RemoveAt(table.Count - 1);
                break;
            case "a block missing at the start":
                table = Shift(table.Skip(1).ToList(), 0, compressed: 0);
                break;
            case "a huge block":
                table[^1] = last with { UncompressedLength = int.MaxValue };
                break;
            case "a block of zero bytes":
                table.Insert(1, new ArchiveBlock(table[1].CompressedOffset, 0, table[1].UncompressedOffset, 0));
                break;
            case "tar offset shifted":
                table[0] = table[0] with { UncompressedOffset = 1 };
                break;
        }

        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync(compressed, table, maxBlocksInFlight: 3));
    }

    [Theory]
    [InlineData("header")]
    [InlineData("first block")]
    [InlineData("middle block")]
    [InlineData("last block")]
    [InlineData("trailer crc")]
    [InlineData("trailer length")]
    public async Task A_flipped_byte_anywhere_is_refused(string where)
    {
        var input = Csv((Block * 6) + 999);
        var (compressed, blocks) = await CompressAsync(input);
        var at = where switch
        {
            "header" => 2,
            "first block" => (int)blocks[0].CompressedOffset + 100,
            "middle block" => (int)(blocks[3].CompressedOffset + (blocks[3].CompressedLength / 2)),
            "last block" => (int)(blocks[^1].CompressedOffset + blocks[^1].CompressedLength - 8),
            "trailer crc" => compressed.Length - 6,
            _ => compressed.Length - 2,
        };
        compressed[at] ^= 0x10;

        // Either the inflated bytes differ (and the trailer's CRC-32 says so) or the block does not inflate at all.
        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync(compressed, blocks, maxBlocksInFlight: 3));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(9)]
    [InlineData(Block / 3)]
    [InlineData(-1)]
    public async Task A_truncated_file_is_refused(int cut)
    {
        var (compressed, blocks) = await CompressAsync(Csv((Block * 4) + 10));
        var kept = cut > 0 ? compressed.Length - cut : 15;

        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync(compressed[..kept], blocks, maxBlocksInFlight: 3));
    }

    [Fact]
    public async Task Bytes_after_the_trailer_are_refused()
    {
        var (compressed, blocks) = await CompressAsync(Csv(Block * 2));

        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync([.. compressed, 0x1f], blocks, maxBlocksInFlight: 3));
    }

    [Fact]
    public async Task A_gzip_header_with_optional_fields_is_refused()
    {
        var (compressed, blocks) = await CompressAsync(Csv(Block));
        compressed[3] = 0x08;

        await Assert.ThrowsAsync<InvalidDataException>(() => InflateAsync(compressed, blocks, maxBlocksInFlight: 3));
    }

    [Fact]
    public async Task Disposing_in_the_middle_leaves_no_task_writing_into_returned_buffers()
    {
        var (compressed, blocks) = await CompressAsync(Csv(Block * 20));
        var reader = new ParallelGzipReader(new MemoryStream(compressed), blocks, maxBlocksInFlight: 4);
        var buffer = new byte[100];
        await reader.ReadExactlyAsync(buffer);

        await reader.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await reader.ReadExactlyAsync(buffer));
    }

    private static List<ArchiveBlock> Shift(List<ArchiveBlock> table, int from, int compressed = 0, int uncompressed = 0)
    {
        // Keeps the table contiguous, so only the inflating can tell the lie.
        var result = new List<ArchiveBlock>();
        long compressedOffset = 10, uncompressedOffset = 0;
        for (var i = 0; i < table.Count; i++)
        {
            var block = table[i];
            var length = block.CompressedLength + (i == from ? compressed : 0);
            var inflated = block.UncompressedLength + (i == from ? uncompressed : 0);
            result.Add(new ArchiveBlock(compressedOffset, length, uncompressedOffset, inflated));
            compressedOffset += length;
            uncompressedOffset += inflated;
        }

        return result;
    }

    private static async Task<byte[]> InflateAsync(byte[] compressed, IReadOnlyList<ArchiveBlock> blocks, int maxBlocksInFlight)
    {
        await using var reader = new ParallelGzipReader(new MemoryStream(compressed), blocks, maxBlocksInFlight);
        using var output = new MemoryStream();

        // Odd read sizes, so reads straddle block boundaries.
        var buffer = new byte[7777];
        int read;
        while ((read = await reader.ReadAsync(buffer)) > 0)
        {
            output.Write(buffer, 0, read);
        }

        return output.ToArray();
    }

    private static async Task<(byte[] Compressed, IReadOnlyList<ArchiveBlock> Blocks)> CompressAsync(byte[] input)
    {
        using var output = new MemoryStream();
        var gzip = new ParallelGzipStream(output, blockSize: Block, maxBlocksInFlight: 3);
        for (var offset = 0; offset < input.Length; offset += 7777)
        {
            await gzip.WriteAsync(input.AsMemory(offset, Math.Min(7777, input.Length - offset)));
        }

        await gzip.CompleteAsync();
        var blocks = gzip.Blocks;
        await gzip.DisposeAsync();
        return (output.ToArray(), blocks);
    }

    private static byte[] Csv(int length)
    {
        var builder = new StringBuilder();
        var random = new Random(length);
        while (builder.Length < length)
        {
            builder.Append("7290027600007,1,").Append(random.Next(1, 400)).Append(",חלב תנובה 3% 1 ליטר,").Append(random.Next(100, 9999) / 100.0).Append('\n');
        }

        return Encoding.UTF8.GetBytes(builder.ToString())[..length];
    }
}
