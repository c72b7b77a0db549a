using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>
/// The reading half of <see cref="ParallelGzipStream"/>: given the archive's compressed bytes in order and its block
/// table, it reads each block, inflates up to <c>maxBlocksInFlight</c> of them at once on the thread pool and hands
/// out the tar bytes in order. Every block ends with a sync flush, so followed by an empty final block (0x03 0x00) it
/// is a complete raw deflate stream of its own.
/// Nothing is taken on trust: the table must tile the file from the gzip header to the trailer without gap or
/// overlap, each block must inflate to exactly the length the table gives, and the trailer's CRC-32 and length must
/// be those of the bytes handed out, with nothing after it. Any mismatch is an <see cref="InvalidDataException"/>.
/// At most <c>maxBlocksInFlight</c> blocks (compressed and inflated, in pooled buffers) exist at once.
/// </summary>
internal sealed class ParallelGzipReader : ReadOnlyStream
{
    /// <summary>
    /// The largest block a table may claim, compressed or inflated. The writer makes 1 MiB blocks; the bound keeps a
    /// table that lies from making a reader allocate gigabytes.
    /// </summary>
    public const int MaxBlockLength = 32 << 20;

    private const int HeaderLength = 10;
    private const int TrailerLength = 10;

    private readonly Stream _inner;
    private readonly IReadOnlyList<ArchiveBlock> _blocks;
    private readonly int _maxBlocksInFlight;
    private readonly bool _leaveOpen;
    private readonly Queue<Task<InflatedBlock>> _inFlight = new();
    private readonly Crc32 _crc = new();
    private readonly BlockWorkers _workers;
    private int _nextToRead;
    private bool _headerChecked;
    private InflatedBlock? _current;
    private int _currentPosition;
    private long _produced;
    private bool _finished;
    private bool _disposed;

    public ParallelGzipReader(Stream inner, IReadOnlyList<ArchiveBlock> blocks, int maxBlocksInFlight = 0, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(blocks);
        _inner = inner;
        _blocks = blocks;
        _leaveOpen = leaveOpen;
        _maxBlocksInFlight = maxBlocksInFlight > 0 ? maxBlocksInFlight : Environment.ProcessorCount + 1;
        CheckTable(blocks);

        // Only once the table is accepted: a refused table must leave no threads behind.
        _workers = new BlockWorkers(Environment.ProcessorCount, "gzip inflate");
    }

    /// <summary>The most blocks that were ever held at once (inflating or waiting to be read).</summary>
    public int PeakBlocksInFlight { get; private set; }

    public override bool CanRead => !_disposed;

    public override long Position
    {
        get => _produced;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var read = ReadAsync(rented.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, read).CopyTo(buffer);
            return read;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (buffer.IsEmpty)
        {
            return 0;
        }

        while (_current is null || _currentPosition == _current.Value.Length)
        {
            ReleaseCurrent();
            if (_finished)
            {
                return 0;
            }

            await FillAsync(cancellationToken);
            if (_inFlight.Count == 0)
            {
                await FinishAsync(cancellationToken);
                return 0;
            }

            _current = await _inFlight.Dequeue();
            _currentPosition = 0;
        }

        var block = _current.Value;
        var take = Math.Min(buffer.Length, block.Length - _currentPosition);
        var bytes = block.Buffer.AsSpan(_currentPosition, take);
        bytes.CopyTo(buffer.Span);
        _crc.Append(bytes);
        _currentPosition += take;
        _produced += take;
        return take;
    }


    public override async ValueTask DisposeAsync()
    {
        if (!_disposed)
        {
            _disposed = true;
            await DrainAsync();
            _workers.Dispose();
            if (!_leaveOpen)
            {
                await _inner.DisposeAsync();
            }
        }

        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            DrainAsync().GetAwaiter().GetResult();
            _workers.Dispose();
            if (!_leaveOpen)
            {
                _inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The table must cover the file from the header on, block after block, and the tar stream from 0, with no gap and no overlap.</summary>
    private static void CheckTable(IReadOnlyList<ArchiveBlock> blocks)
    {
        long compressed = HeaderLength;
        long uncompressed = 0;
        for (var i = 0; i < blocks.Count; i++)
        {
            var block = blocks[i];
            if (block.CompressedOffset != compressed || block.UncompressedOffset != uncompressed)
            {
                throw new InvalidDataException(
                    $"the block table is inconsistent: block {i} claims compressed byte {block.CompressedOffset} and tar byte {block.UncompressedOffset}, but the blocks before it end at {compressed} and {uncompressed}");
            }

            if (block.CompressedLength is <= 0 or > MaxBlockLength || block.UncompressedLength is <= 0 or > MaxBlockLength)
            {
                throw new InvalidDataException(
                    $"the block table is inconsistent: block {i} claims {block.CompressedLength} compressed and {block.UncompressedLength} inflated bytes (each must be 1 to {MaxBlockLength})");
            }

            compressed += block.CompressedLength;
            uncompressed += block.UncompressedLength;
        }
    }

    /// <summary>Reads further blocks and starts inflating them until as many as allowed are in flight.</summary>
    private async Task FillAsync(CancellationToken cancellationToken)
    {
        if (!_headerChecked)
        {
            await CheckHeaderAsync(cancellationToken);
        }

        // The block being handed out counts too, so at most the configured number exist at once.
        while (_nextToRead < _blocks.Count && _inFlight.Count < Math.Max(1, _maxBlocksInFlight - 1))
        {
            var index = _nextToRead;
            var block = _blocks[index];
            var compressed = ArrayPool<byte>.Shared.Rent((int)block.CompressedLength + 2);
            try
            {
                await ReadExactlyAsync(compressed.AsMemory(0, (int)block.CompressedLength), $"block {index}", cancellationToken);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(compressed);
                throw;
            }

            compressed[block.CompressedLength] = 0x03;
            compressed[block.CompressedLength + 1] = 0x00;
            _inFlight.Enqueue(_workers.Run(() => Inflate(index, compressed, (int)block.CompressedLength + 2, (int)block.UncompressedLength)));
            _nextToRead++;
            PeakBlocksInFlight = Math.Max(PeakBlocksInFlight, _inFlight.Count + (_current is null ? 0 : 1));
        }
    }

    private async Task CheckHeaderAsync(CancellationToken cancellationToken)
    {
        var header = new byte[HeaderLength];
        await ReadExactlyAsync(header, "the gzip header", cancellationToken);

        // The table counts from byte 10, so only a header without optional fields (FLG = 0) can match it.
        if (header[0] != 0x1f || header[1] != 0x8b || header[2] != 0x08 || header[3] != 0x00)
        {
            throw new InvalidDataException("the gzip header is not the plain 10-byte header the block table counts from");
        }

        _headerChecked = true;
    }

    /// <summary>After the last block: the trailer must hold the CRC-32 and length of what was handed out, and end the file.</summary>
    private async Task FinishAsync(CancellationToken cancellationToken)
    {
        var trailer = new byte[TrailerLength];
        await ReadExactlyAsync(trailer, "the gzip trailer", cancellationToken);
        if (trailer[0] != 0x03 || trailer[1] != 0x00)
        {
            throw new InvalidDataException("the bytes after the last block in the table are not the end of the deflate stream");
        }

        var crc = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(2));
        var length = BinaryPrimitives.ReadUInt32LittleEndian(trailer.AsSpan(6));
        if (crc != _crc.GetCurrentHashAsUInt32() || length != unchecked((uint)_produced))
        {
            throw new InvalidDataException("the gzip trailer does not match the data (the file is cut short or damaged at its end)");
        }

        var extra = new byte[1];
        if (await _inner.ReadAsync(extra, cancellationToken) != 0)
        {
            throw new InvalidDataException("there are bytes after the gzip trailer that the block table does not describe");
        }

        _finished = true;
        _workers.Dispose();
    }

    private async Task ReadExactlyAsync(Memory<byte> buffer, string what, CancellationToken cancellationToken)
    {
        var read = await _inner.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false, cancellationToken);
        if (read < buffer.Length)
        {
            throw new InvalidDataException($"the file ends inside {what}: it is truncated, or the block table claims bytes past its end");
        }
    }

    private static InflatedBlock Inflate(int index, byte[] compressed, int compressedLength, int expectedLength)
    {
        var output = ArrayPool<byte>.Shared.Rent(expectedLength);
        try
        {
            using var source = new MemoryStream(compressed, 0, compressedLength, writable: false);
            using var deflate = new DeflateStream(source, CompressionMode.Decompress);
            var inflated = deflate.ReadAtLeast(output.AsSpan(0, expectedLength), expectedLength, throwOnEndOfStream: false);

            // One byte more than the table allows proves the block is longer than it says.
            Span<byte> probe = stackalloc byte[1];
            if (inflated < expectedLength || deflate.Read(probe) != 0)
            {
                throw new InvalidDataException(
                    $"block {index} inflates to {(inflated < expectedLength ? inflated.ToString(System.Globalization.CultureInfo.InvariantCulture) : "more than " + expectedLength)} bytes, the block table says {expectedLength}");
            }

            return new InflatedBlock(output, expectedLength);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(output);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    private void ReleaseCurrent()
    {
        if (_current is { } block)
        {
            ArrayPool<byte>.Shared.Return(block.Buffer);
            _current = null;
        }
    }

    /// <summary>Waits for every block still inflating, so no pooled buffer is returned while a task writes into it.</summary>
    private async Task DrainAsync()
    {
        ReleaseCurrent();
        while (_inFlight.TryDequeue(out var task))
        {
            try
            {
                var block = await task.ConfigureAwait(false);
                ArrayPool<byte>.Shared.Return(block.Buffer);
            }
            catch (InvalidDataException)
            {
                // Already reported to the reader, or to be ignored once it has stopped; the task returned its buffers.
            }
        }
    }

    private readonly record struct InflatedBlock(byte[] Buffer, int Length);
}
