using System.Buffers;
using System.IO.Compression;

namespace KaggleStorage.Archival;

/// <summary>
/// A write-only stream that gzips on every core: the bytes are cut into blocks, each block is compressed
/// concurrently into a complete gzip member, and the members are written in order. Concatenated members are one
/// valid gzip file (RFC 1952 §2.2) that GNU gzip, GNU tar, the BCL's GZipStream and SharpCompress read whole.
/// At most <c>maxBlocksInFlight</c> blocks exist at once, so memory is bounded whatever the input size.
/// </summary>
internal sealed class ParallelGzipStream : Stream
{
    public const int DefaultBlockSize = 4 << 20;

    private readonly Stream _inner;
    private readonly int _blockSize;
    private readonly int _maxBlocksInFlight;
    private readonly int _compressionLevel;
    private readonly Queue<Task<CompressedBlock>> _pending = new();
    private byte[]? _current;
    private int _currentLength;
    private bool _completed;
    private bool _submittedAny;

    public ParallelGzipStream(Stream inner, int compressionLevel = 6, int blockSize = DefaultBlockSize, int maxBlocksInFlight = 0)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentOutOfRangeException.ThrowIfLessThan(blockSize, 64 * 1024);
        _inner = inner;
        _blockSize = blockSize;
        _compressionLevel = compressionLevel;
        _maxBlocksInFlight = maxBlocksInFlight > 0 ? maxBlocksInFlight : Environment.ProcessorCount + 1;
    }

    /// <summary>The most blocks that were ever held at once (compressing or waiting to be written).</summary>
    public int PeakBlocksInFlight { get; private set; }

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => !_completed;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) =>
        WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        var copy = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            buffer.CopyTo(copy);
            WriteAsync(copy.AsMemory(0, buffer.Length)).AsTask().GetAwaiter().GetResult();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(copy);
        }
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        while (!buffer.IsEmpty)
        {
            _current ??= ArrayPool<byte>.Shared.Rent(_blockSize);
            var take = Math.Min(buffer.Length, _blockSize - _currentLength);
            buffer.Span[..take].CopyTo(_current.AsSpan(_currentLength));
            _currentLength += take;
            buffer = buffer[take..];
            if (_currentLength == _blockSize)
            {
                await SubmitCurrentAsync(cancellationToken);
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Writes what is buffered and every pending block; the inner stream then holds complete gzip data.</summary>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        if (_completed)
        {
            return;
        }

        if (_currentLength > 0 || !_submittedAny)
        {
            // An empty input still needs one (empty) member to be a valid gzip file.
            await SubmitCurrentAsync(cancellationToken);
        }

        while (_pending.Count > 0)
        {
            await WriteOldestAsync(cancellationToken);
        }

        await _inner.FlushAsync(cancellationToken);
        _completed = true;
    }

    public override void Flush()
    {
        // Blocks are only written whole; flushing early would change the output and defeat determinism.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        try
        {
            await CompleteAsync();
        }
        finally
        {
            ReleaseAll();
            await base.DisposeAsync();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            try
            {
                CompleteAsync().GetAwaiter().GetResult();
            }
            finally
            {
                ReleaseAll();
            }
        }

        base.Dispose(disposing);
    }

    private async Task SubmitCurrentAsync(CancellationToken cancellationToken)
    {
        while (_pending.Count >= _maxBlocksInFlight - 1)
        {
            await WriteOldestAsync(cancellationToken);
        }

        var block = _current ?? ArrayPool<byte>.Shared.Rent(0);
        var length = _currentLength;
        _current = null;
        _currentLength = 0;
        var level = _compressionLevel;
        _pending.Enqueue(Task.Run(() => Compress(block, length, level), cancellationToken));
        _submittedAny = true;
        PeakBlocksInFlight = Math.Max(PeakBlocksInFlight, _pending.Count);
    }

    private async Task WriteOldestAsync(CancellationToken cancellationToken)
    {
        var compressed = await _pending.Dequeue();
        try
        {
            await _inner.WriteAsync(compressed.Buffer.AsMemory(0, compressed.Length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(compressed.Buffer);
        }
    }

    private static CompressedBlock Compress(byte[] block, int length, int level)
    {
        try
        {
            // Deflate never grows data by more than a few bytes per 16 KiB stored block, plus the gzip framing.
            var output = new PooledBufferStream(length + (length >> 10) + 1024);
            using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = level }, leaveOpen: true))
            {
                gzip.Write(block, 0, length);
            }

            return new CompressedBlock(output.Buffer, (int)output.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(block);
        }
    }

    private void ReleaseAll()
    {
        if (_current is not null)
        {
            ArrayPool<byte>.Shared.Return(_current);
            _current = null;
        }

        while (_pending.TryDequeue(out var task))
        {
            if (task.IsCompletedSuccessfully)
            {
                ArrayPool<byte>.Shared.Return(task.Result.Buffer);
            }
        }
    }

    private readonly record struct CompressedBlock(byte[] Buffer, int Length);
}
