using System.Buffers.Binary;

namespace KaggleStorage.Kaggle;

/// <summary>
/// The entry names of a zip exactly as its central directory stores them. <see cref="System.IO.Compression.ZipArchive"/>
/// decodes every name as UTF-8 and turns invalid bytes into U+FFFD, whether or not the entry is flagged UTF-8, so
/// the bytes themselves, which a refusal must name, are read here.
/// </summary>
internal static class ZipEntryNames
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64EndOfCentralDirectory = 0x06064b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint CentralHeader = 0x02014b50;
    private const int EndOfCentralDirectorySize = 22;
    private const int CentralHeaderSize = 46;
    private const ushort Utf8Flag = 1 << 11;

    /// <summary>The names in central-directory order, which is the order of <c>ZipArchive.Entries</c>.</summary>
    /// <exception cref="InvalidDataException">The central directory cannot be read.</exception>
    public static async Task<IReadOnlyList<ZipEntryName>> ReadAsync(Stream zip, CancellationToken cancellationToken)
    {
        var (count, offset) = await FindCentralDirectoryAsync(zip, cancellationToken);
        var names = new List<ZipEntryName>();
        zip.Position = offset;
        var header = new byte[CentralHeaderSize];
        for (long i = 0; i < count; i++)
        {
            await ReadExactlyAsync(zip, header, cancellationToken);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != CentralHeader)
            {
                throw Unreadable($"entry {i + 1} of {count} has no central directory header");
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(8));
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(28));
            var skip = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(30)) + BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(32));
            var name = new byte[nameLength];
            await ReadExactlyAsync(zip, name, cancellationToken);
            zip.Position += skip;
            names.Add(new ZipEntryName(name, (flags & Utf8Flag) != 0));
        }

        return names;
    }

    private static async Task<(long Count, long Offset)> FindCentralDirectoryAsync(Stream zip, CancellationToken cancellationToken)
    {
        // The end record is the last 22 bytes plus a comment of up to 65535 bytes; search back for its signature.
        var tailLength = (int)Math.Min(zip.Length, EndOfCentralDirectorySize + ushort.MaxValue);
        var tail = new byte[tailLength];
        zip.Position = zip.Length - tailLength;
        await ReadExactlyAsync(zip, tail, cancellationToken);
        for (var at = tailLength - EndOfCentralDirectorySize; at >= 0; at--)
        {
            var record = tail.AsSpan(at);
            if (BinaryPrimitives.ReadUInt32LittleEndian(record) != EndOfCentralDirectory
                || BinaryPrimitives.ReadUInt16LittleEndian(record[20..]) != record.Length - EndOfCentralDirectorySize)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
            var recordAt = zip.Length - tailLength + at;
            return recordAt >= 20 && await ReadZip64Async(zip, recordAt - 20, cancellationToken) is { } zip64 ? zip64 : (count, offset);
        }

        throw Unreadable("it has no end of central directory record");
    }

    /// <summary>The entry count and directory offset from the Zip64 end record, when its locator precedes the end record.</summary>
    private static async Task<(long Count, long Offset)?> ReadZip64Async(Stream zip, long locatorAt, CancellationToken cancellationToken)
    {
        var locator = new byte[20];
        zip.Position = locatorAt;
        await ReadExactlyAsync(zip, locator, cancellationToken);
        if (BinaryPrimitives.ReadUInt32LittleEndian(locator) != Zip64Locator)
        {
            return null;
        }

        var record = new byte[56];
        zip.Position = ToLong(BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8)));
        await ReadExactlyAsync(zip, record, cancellationToken);
        if (BinaryPrimitives.ReadUInt32LittleEndian(record) != Zip64EndOfCentralDirectory)
        {
            throw Unreadable("its Zip64 locator points at no Zip64 end record");
        }

        return (ToLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32))), ToLong(BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(48))));
    }

    private static async Task ReadExactlyAsync(Stream zip, byte[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            await zip.ReadExactlyAsync(buffer, cancellationToken);
        }
        catch (EndOfStreamException exception)
        {
            throw new InvalidDataException("The downloaded file is not a valid zip: its central directory runs past the end of the file.", exception);
        }
    }

    private static long ToLong(ulong value) => value <= long.MaxValue ? (long)value : throw Unreadable("its Zip64 end record holds an impossible offset or count");

    private static InvalidDataException Unreadable(string why) => new($"The downloaded file is not a valid zip: {why}.");
}
