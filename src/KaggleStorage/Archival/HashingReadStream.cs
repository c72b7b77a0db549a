using System.Security.Cryptography;

namespace KaggleStorage.Archival;

/// <summary>
/// Reads through to a stream while hashing what is read, so a file is hashed as it streams into the archive rather
/// than read twice. It reports the inner length (or the one it is given, for an entry read out of another archive)
/// because TarWriter buffers whole any data stream whose length it cannot learn.
/// </summary>
internal sealed class HashingReadStream(Stream inner, long? knownLength = null, bool leaveOpen = false) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _tail = new byte[8];

    public long BytesRead { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => knownLength is not null || inner.CanSeek;

    public override bool CanWrite => false;

    public override long Length => knownLength ?? inner.Length;

    public override long Position
    {
        get => knownLength is not null ? BytesRead : inner.Position;
        set
        {
            if (value != Position)
            {
                throw new NotSupportedException("A hashing stream only reads forward.");
            }
        }
    }

    /// <summary>The last (up to) eight bytes read: a gzip file's trailer once the file has been read to its end.</summary>
    public ReadOnlySpan<byte> Tail => _tail.AsSpan(0, (int)Math.Min(BytesRead, _tail.Length));

    public string GetHashHex() => Convert.ToHexStringLower(_hash.GetHashAndReset());

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        Track(buffer[..read]);
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        Track(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };
        Position = target;
        return target;
    }

    public override void Flush()
    {
    }

    private void Track(ReadOnlySpan<byte> read)
    {
        _hash.AppendData(read);
        if (read.Length >= _tail.Length)
        {
            read[^_tail.Length..].CopyTo(_tail);
        }
        else if (read.Length > 0)
        {
            // Shift what is kept left and append: the tail always ends with the newest byte.
            var keep = (int)Math.Min(BytesRead, _tail.Length - read.Length);
            var start = (int)Math.Min(BytesRead, _tail.Length) - keep;
            _tail.AsSpan(start, keep).CopyTo(_tail);
            read.CopyTo(_tail.AsSpan(keep));
        }

        BytesRead += read.Length;
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _hash.Dispose();
            if (!leaveOpen)
            {
                inner.Dispose();
            }
        }

        base.Dispose(disposing);
    }
}
