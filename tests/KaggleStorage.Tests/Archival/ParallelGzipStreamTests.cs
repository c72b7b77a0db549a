using System.IO.Compression;
using System.Text;
using KaggleStorage.Archival;

namespace KaggleStorage.Tests.Archival;

public sealed class ParallelGzipStreamTests
{
    private const int Block = 64 * 1024;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(Block - 1)]
    [InlineData(Block)]
    [InlineData(Block + 1)]
    [InlineData((Block * 7) + 12345)]
    public async Task Output_is_one_gzip_stream_that_decompresses_to_the_input(int length)
    {
        var input = Csv(length);

        var compressed = await CompressAsync(input, maxBlocksInFlight: 3);

        Assert.Equal(new byte[] { 0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03 }, compressed[..10]);
        Assert.Equal(input, Decompress(compressed));
        Assert.Equal((uint)length, BitConverter.ToUInt32(compressed, compressed.Length - 4));
    }

    [Fact]
    public async Task Output_does_not_depend_on_how_many_blocks_run_at_once()
    {
        var input = Csv((Block * 10) + 999);

        var serial = await CompressAsync(input, maxBlocksInFlight: 1);
        var parallel = await CompressAsync(input, maxBlocksInFlight: 4);
        var again = await CompressAsync(input, maxBlocksInFlight: 4);

        Assert.Equal(serial, parallel);
        Assert.Equal(parallel, again);
    }

    [Fact]
    public async Task Blocks_in_flight_stay_bounded_whatever_the_input_size()
    {
        using var sink = new CountingStream();
        var gzip = new ParallelGzipStream(sink, blockSize: Block, maxBlocksInFlight: 3);
        var chunk = Csv(10_000);
        long total = 0;
        while (total < 64L << 20)
        {
            await gzip.WriteAsync(chunk);
            total += chunk.Length;
        }

        await gzip.CompleteAsync();

        Assert.InRange(gzip.PeakBlocksInFlight, 1, 3);
        Assert.InRange(sink.Length, 1, total / 4);
    }

    [Fact]
    public async Task Compresses_like_gzip_level_6()
    {
        var input = Csv(Block * 16);
        using var reference = new MemoryStream();
        await using (var gzip = new GZipStream(reference, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen: true))
        {
            await gzip.WriteAsync(input);
        }

        var ours = await CompressAsync(input, maxBlocksInFlight: 2);

        // Each block starts without the previous block's window, which costs a little.
        Assert.InRange((double)ours.Length / reference.Length, 0.95, 1.05);
    }

    [Fact]
    public async Task Block_table_covers_the_output_and_any_run_of_blocks_inflates_alone()
    {
        var input = Csv((Block * 7) + 12345);
        using var output = new MemoryStream();
        var gzip = new ParallelGzipStream(output, blockSize: Block, maxBlocksInFlight: 3);
        await gzip.WriteAsync(input);
        await gzip.CompleteAsync();
        var compressed = output.ToArray();
        var blocks = gzip.Blocks;

        Assert.Equal(8, blocks.Count);
        Assert.Equal(ParallelGzipStream.HeaderLength, blocks[0].CompressedOffset);
        for (var i = 1; i < blocks.Count; i++)
        {
            Assert.Equal(blocks[i - 1].CompressedOffset + blocks[i - 1].CompressedLength, blocks[i].CompressedOffset);
            Assert.Equal(blocks[i - 1].UncompressedOffset + blocks[i - 1].UncompressedLength, blocks[i].UncompressedOffset);
        }

        Assert.Equal(compressed.Length - ParallelGzipStream.TrailerLength, blocks[^1].CompressedOffset + blocks[^1].CompressedLength);
        Assert.Equal(input.Length, blocks.Sum(block => block.UncompressedLength));
        var (first, last) = (blocks[2], blocks[4]);
        var run = compressed.AsSpan((int)first.CompressedOffset, (int)(last.CompressedOffset + last.CompressedLength - first.CompressedOffset)).ToArray();
        await using var inflated = ArchiveFormat.OpenBlocks(new MemoryStream(run));
        using var read = new MemoryStream();
        await inflated.CopyToAsync(read);
        Assert.Equal(input.AsSpan((int)first.UncompressedOffset, (int)(last.UncompressedOffset + last.UncompressedLength - first.UncompressedOffset)).ToArray(), read.ToArray());
    }

    [Fact]
    public async Task Failure_of_the_underlying_stream_surfaces_to_the_writer()
    {
        var gzip = new ParallelGzipStream(new FailingStream(), blockSize: Block, maxBlocksInFlight: 2);

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (var i = 0; i < 20; i++)
            {
                await gzip.WriteAsync(Csv(Block));
            }

            await gzip.CompleteAsync();
        });
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

    private static async Task<byte[]> CompressAsync(byte[] input, int maxBlocksInFlight)
    {
        using var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output, blockSize: Block, maxBlocksInFlight: maxBlocksInFlight))
        {
            // Uneven writes, so block boundaries fall inside writes.
            for (var offset = 0; offset < input.Length; offset += 7777)
            {
                await gzip.WriteAsync(input.AsMemory(offset, Math.Min(7777, input.Length - offset)));
            }
        }

        return output.ToArray();
    }

    private static byte[] Decompress(byte[] compressed)
    {
        using var gzip = new GZipStream(new MemoryStream(compressed), CompressionMode.Decompress);
        using var output = new MemoryStream();
        gzip.CopyTo(output);
        return output.ToArray();
    }

    private sealed class CountingStream : Stream
    {
        private long _length;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _length;

        public override long Position { get => _length; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => _length += count;
    }

    private sealed class FailingStream : Stream
    {
        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => 0;

        public override long Position { get => 0; set => throw new NotSupportedException(); }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new IOException("No space left on device");
    }
}
