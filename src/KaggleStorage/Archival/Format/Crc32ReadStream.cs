using System.IO.Hashing;
using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>
/// Reads through to another stream while keeping the CRC-32 and length of what was read, and, when given a
/// <see cref="TarHeaderChecker"/>, checking every tar header that passes.
/// </summary>
internal sealed class Crc32ReadStream(Stream inner, TarHeaderChecker? headers = null) : ReadOnlyStream
{
    private readonly Crc32 _crc = new();

    public long BytesRead { get; private set; }

    public uint Crc => _crc.GetCurrentHashAsUInt32();

    public override long Position
    {
        get => BytesRead;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        _crc.Append(buffer[..read]);
        headers?.Append(buffer[..read]);
        BytesRead += read;
        return read;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        _crc.Append(buffer.Span[..read]);
        headers?.Append(buffer.Span[..read]);
        BytesRead += read;
        return read;
    }

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
