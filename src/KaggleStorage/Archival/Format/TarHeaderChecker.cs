namespace KaggleStorage.Archival;

/// <summary>
/// Checks the checksum of every tar header as the uncompressed stream passes by. System.Formats.Tar does not: a
/// header whose checksum was zeroed reads as the end of the archive, so every entry after it would be dropped
/// silently (GNU tar reports the damage). Headers are found the way a tar reader finds them: 512-byte blocks, each
/// followed by its entry's data rounded up to whole blocks, until the zero block that ends the archive.
/// </summary>
internal sealed class TarHeaderChecker
{
    private const int BlockSize = 512;
    private readonly byte[] _header = new byte[BlockSize];
    private int _headerFill;
    private long _dataRemaining;
    private long _offset;
    private int _headers;
    private bool _ended;

    public void Append(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty && !_ended)
        {
            if (_dataRemaining > 0)
            {
                var skip = (int)Math.Min(_dataRemaining, data.Length);
                _dataRemaining -= skip;
                _offset += skip;
                data = data[skip..];
                continue;
            }

            var take = Math.Min(BlockSize - _headerFill, data.Length);
            data[..take].CopyTo(_header.AsSpan(_headerFill));
            _headerFill += take;
            _offset += take;
            data = data[take..];
            if (_headerFill == BlockSize)
            {
                _headerFill = 0;
                CheckHeader();
            }
        }
    }

    private void CheckHeader()
    {
        var header = _header.AsSpan();
        if (!header.ContainsAnyExcept((byte)0))
        {
            _ended = true;
            return;
        }

        _headers++;
        var start = _offset - BlockSize;
        long unsignedSum = 0;
        long signedSum = 0;
        for (var i = 0; i < BlockSize; i++)
        {
            var value = i is >= 148 and < 156 ? (byte)' ' : header[i];
            unsignedSum += value;
            signedSum += (sbyte)value;
        }

        var stored = ParseOctal(header.Slice(148, 8));
        if (stored is null || (stored != unsignedSum && stored != signedSum))
        {
            // Not our damage alone: this is what a cut or overwritten tar looks like inside an intact gzip.
            throw new InvalidDataException(
                $"tar header {_headers} (at uncompressed byte {start}) has {(stored is null ? "no valid checksum" : $"checksum {stored}")}, but its bytes sum to {unsignedSum}: the archive is damaged");
        }

        var size = ParseSize(header.Slice(124, 12))
            ?? throw new InvalidDataException($"tar header {_headers} (at uncompressed byte {start}) has an unreadable size field: the archive is damaged");
        _dataRemaining = (size + BlockSize - 1) / BlockSize * BlockSize;
    }

    private static long? ParseSize(ReadOnlySpan<byte> field)
    {
        if ((field[0] & 0x80) == 0)
        {
            return ParseOctal(field);
        }

        // GNU base-256 for sizes past 8 GiB: big-endian binary after the marker bit.
        long value = field[0] & 0x7F;
        foreach (var b in field[1..])
        {
            if (value > (long.MaxValue >> 8))
            {
                return null;
            }

            value = (value << 8) | b;
        }

        return value;
    }

    private static long? ParseOctal(ReadOnlySpan<byte> field)
    {
        field = field.Trim((byte)0).Trim((byte)' ').Trim((byte)0);
        if (field.IsEmpty)
        {
            return null;
        }

        long value = 0;
        foreach (var b in field)
        {
            if (b is < (byte)'0' or > (byte)'7')
            {
                return null;
            }

            value = (value * 8) + (b - '0');
        }

        return value;
    }
}
