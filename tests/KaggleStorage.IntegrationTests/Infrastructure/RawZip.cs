using System.Buffers.Binary;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// Writes a zip byte by byte (stored entries, no compression), so a test controls what no zip library writes:
/// entry names that are not valid UTF-8, with or without the UTF-8 flag (general purpose bit 11).
/// </summary>
public static class RawZip
{
    private const ushort Utf8Flag = 1 << 11;

    public static byte[] Build(params (byte[] Name, bool FlaggedUtf8, byte[] Content)[] entries)
    {
        using var zip = new MemoryStream();
        using var central = new MemoryStream();
        foreach (var (name, flagged, content) in entries)
        {
            var offset = (uint)zip.Position;
            var crc = System.IO.Hashing.Crc32.HashToUInt32(content);
            var flags = flagged ? Utf8Flag : (ushort)0;

            // Local file header.
            Write32(zip, 0x04034b50);
            Write16(zip, 20);
            Write16(zip, flags);
            Write16(zip, 0);
            Write16(zip, 0);
            Write16(zip, 0x5921);
            Write32(zip, crc);
            Write32(zip, (uint)content.Length);
            Write32(zip, (uint)content.Length);
            Write16(zip, (ushort)name.Length);
            Write16(zip, 0);
            zip.Write(name);
            zip.Write(content);

            // Its central directory header.
            Write32(central, 0x02014b50);
            Write16(central, 0x031E);
            Write16(central, 20);
            Write16(central, flags);
            Write16(central, 0);
            Write16(central, 0);
            Write16(central, 0x5921);
            Write32(central, crc);
            Write32(central, (uint)content.Length);
            Write32(central, (uint)content.Length);
            Write16(central, (ushort)name.Length);
            Write16(central, 0);
            Write16(central, 0);
            Write16(central, 0);
            Write16(central, 0);
            Write32(central, 0x81A4u << 16);
            Write32(central, offset);
            central.Write(name);
        }

        var directoryOffset = (uint)zip.Position;
        zip.Write(central.ToArray());

        // End of central directory record.
        Write32(zip, 0x06054b50);
        Write16(zip, 0);
        Write16(zip, 0);
        Write16(zip, (ushort)entries.Length);
        Write16(zip, (ushort)entries.Length);
        Write32(zip, (uint)central.Length);
        Write32(zip, directoryOffset);
        Write16(zip, 0);
        return zip.ToArray();
    }

    private static void Write16(Stream stream, ushort value)
    {
        Span<byte> bytes = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, value);
        stream.Write(bytes);
    }

    private static void Write32(Stream stream, uint value)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        stream.Write(bytes);
    }
}
