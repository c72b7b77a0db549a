using System.Security.Cryptography;
using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>
/// One file's bytes out of an archive, held to what its index records: exactly the recorded size, and the recorded
/// SHA-256, checked before the last bytes are handed out, so a reader that got to the end of the stream got the
/// file, and one that did not got an <see cref="InvalidDataException"/>, never quietly other bytes. Damage met on
/// the way (a block that does not inflate, an archive cut short) is told the same way, naming the file.
/// </summary>
internal sealed class IndexCheckedReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _size;
    private readonly string? _sha256;
    private readonly string _description;
    private readonly IAsyncDisposable[] _owned;
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private long _delivered;
    private bool _checked;
    private bool _released;

    /// <param name="inner">The file's bytes from their start (more may follow; they are not read).</param>
    /// <param name="size">The size recorded for the file.</param>
    /// <param name="sha256">The SHA-256 recorded for it, or null when the archive has no index (then only the size is held to).</param>
    /// <param name="description">The file and its archive, for messages.</param>
    /// <param name="owned">What reading needs and this stream disposes after <paramref name="inner"/>, in order.</param>
    public IndexCheckedReadStream(Stream inner, long size, string? sha256, string description, params IAsyncDisposable[] owned)
    {
        _inner = inner;
        _size = size;
        _sha256 = sha256;
        _description = description;
        _owned = owned;
    }

    public override long Length => _size;

    public override long Position
    {
        get => _delivered;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var want = Want(buffer.Length);
        if (want == 0)
        {
            return 0;
        }

        int read;
        try
        {
            read = _inner.Read(buffer[..want]);
        }
        catch (Exception exception) when (IsDamage(exception))
        {
            throw Damaged(exception);
        }

        return Take(buffer[..read]);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var want = Want(buffer.Length);
        if (want == 0)
        {
            return 0;
        }

        int read;
        try
        {
            read = await _inner.ReadAsync(buffer[..want], cancellationToken);
        }
        catch (Exception exception) when (IsDamage(exception))
        {
            throw Damaged(exception);
        }

        return Take(buffer.Span[..read]);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            ReleaseAsync().AsTask().GetAwaiter().GetResult();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await ReleaseAsync();
        await base.DisposeAsync();
    }

    private async ValueTask ReleaseAsync()
    {
        if (_released)
        {
            return;
        }

        _released = true;
        _hash.Dispose();
        await _inner.DisposeAsync();
        foreach (var owned in _owned)
        {
            await owned.DisposeAsync();
        }
    }

    /// <summary>How many bytes to ask for; at the end (and for an empty file at once) the bytes are proven first.</summary>
    private int Want(int buffer)
    {
        var remaining = _size - _delivered;
        if (remaining == 0)
        {
            Check();
            return 0;
        }

        return (int)Math.Min(buffer, remaining);
    }

    private int Take(ReadOnlySpan<byte> read)
    {
        if (read.IsEmpty)
        {
            throw new InvalidDataException($"{_description} ended after {_delivered} of its {_size} bytes; the archive is damaged.");
        }

        _hash.AppendData(read);
        _delivered += read.Length;
        if (_delivered == _size)
        {
            // Proven before the last bytes are handed out: a reader never ends with a file that was not the one recorded.
            Check();
        }

        return read.Length;
    }

    private void Check()
    {
        if (_checked)
        {
            return;
        }

        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (_sha256 is not null && !string.Equals(actual, _sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"{_description} does not match its index: its bytes have sha256 {actual}, the index says {_sha256}; the archive is damaged.");
        }

        _checked = true;
    }

    private static bool IsDamage(Exception exception) =>
        exception is InvalidDataException or EndOfStreamException or FormatException or ArgumentOutOfRangeException or OverflowException;

    private InvalidDataException Damaged(Exception exception) =>
        exception is InvalidDataException { Source: not "System.IO.Compression" } mine && mine.Message.Contains(_description, StringComparison.Ordinal)
            ? mine
            : new($"{_description} could not be read: the archive is damaged ({exception.Message}).", exception);
}
