using System.IO.Compression;
using System.Text;
using KaggleStorage.Kaggle;

namespace KaggleStorage.Tests.Kaggle;

public sealed class ZipEntryNamesTests
{
    [Fact]
    public async Task Names_come_back_as_their_stored_bytes_with_the_utf8_flag_in_directory_order()
    {
        var zip = Zip(archive =>
        {
            archive.CreateEntry("price_full_file_shufersal.csv");
            archive.CreateEntry("stores/שופרסל.csv");
        });

        var names = await ZipEntryNames.ReadAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.Equal(2, names.Count);
        Assert.Equal("price_full_file_shufersal.csv"u8.ToArray(), names[0].Bytes);
        Assert.False(names[0].FlaggedUtf8);
        Assert.Equal(Encoding.UTF8.GetBytes("stores/שופרסל.csv"), names[1].Bytes);
        Assert.True(names[1].FlaggedUtf8);
    }

    [Fact]
    public async Task A_zip_comment_after_the_end_record_is_skipped()
    {
        var zip = Zip(archive =>
        {
            archive.Comment = "PK\u0005\u0006 looks like an end record but is part of the comment";
            archive.CreateEntry("a.csv");
        });

        var names = await ZipEntryNames.ReadAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.Equal("a.csv"u8.ToArray(), Assert.Single(names).Bytes);
    }

    [Fact]
    public async Task A_zip64_directory_is_read_through_its_locator()
    {
        // More than 65535 entries do not fit the classic end record: the count and offset live in the Zip64 one.
        const int count = ushort.MaxValue + 2;
        var zip = Zip(archive =>
        {
            for (var i = 0; i < count; i++)
            {
                archive.CreateEntry(i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture), CompressionLevel.NoCompression);
            }
        });

        var names = await ZipEntryNames.ReadAsync(new MemoryStream(zip), CancellationToken.None);

        Assert.Equal(count, names.Count);
        Assert.Equal(Encoding.ASCII.GetBytes((count - 1).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), names[^1].Bytes);
    }

    [Fact]
    public async Task A_file_without_an_end_record_is_not_a_zip()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', 100));

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ZipEntryNames.ReadAsync(new MemoryStream(bytes), CancellationToken.None));

        Assert.Contains("not a valid zip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_directory_offset_past_the_end_is_not_a_zip()
    {
        var zip = Zip(archive => archive.CreateEntry("a.csv"));
        zip[^6] = 0xFF;
        zip[^5] = 0xFF;

        await Assert.ThrowsAsync<InvalidDataException>(() => ZipEntryNames.ReadAsync(new MemoryStream(zip), CancellationToken.None));
    }

    private static byte[] Zip(Action<ZipArchive> fill)
    {
        using var stream = new MemoryStream();
        using (var archive = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            fill(archive);
        }

        return stream.ToArray();
    }
}
