using KaggleStorage.Archival;
using KaggleStorage.Layout;

namespace KaggleStorage.Tests.Archival;

public sealed class ArchiveBlockTableTests
{
    // Three blocks after the 10-byte header, 10 bytes of final block and trailer after them: a 3,010-byte archive
    // holding a 2,500-byte tar stream.
    private const long ArchiveSize = 10 + 1000 + 1000 + 980 + 10;

    private static readonly ArchiveBlock[] Blocks =
    [
        new(10, 1000, 0, 1024),
        new(1010, 1000, 1024, 1024),
        new(2010, 980, 2048, 452),
    ];

    [Fact]
    public void A_table_that_fits_its_archive_finds_the_blocks_that_hold_a_range()
    {
        var table = ArchiveBlockTable.From(Index(Blocks), ArchiveSize, "index")!;

        Assert.Equal([Blocks[0]], table.Covering(0, 1));
        Assert.Equal([Blocks[0], Blocks[1]], table.Covering(1000, 100));
        Assert.Equal([Blocks[1]], table.Covering(1024, 1024));
        Assert.Equal([Blocks[1], Blocks[2]], table.Covering(2047, 2));
        Assert.Equal(Blocks, table.Covering(0, 2500));
        Assert.Empty(table.Covering(2500, 0));
    }

    [Fact]
    public void An_index_without_a_table_has_none()
    {
        Assert.Null(ArchiveBlockTable.From(Index(null), ArchiveSize, "index"));
    }

    [Theory]
    [InlineData("overlapping")]
    [InlineData("a gap")]
    [InlineData("tar bytes twice")]
    [InlineData("past the end")]
    [InlineData("short of the end")]
    [InlineData("an empty block")]
    [InlineData("another tar size")]
    [InlineData("no blocks")]
    public void A_table_that_lies_is_refused_as_damage(string lie)
    {
        ArchiveBlock[] blocks = lie switch
        {
            "overlapping" => [Blocks[0], Blocks[1] with { CompressedOffset = 1000 }, Blocks[2]],
            "a gap" => [Blocks[0], Blocks[1] with { CompressedOffset = 1020 }, Blocks[2]],
            "tar bytes twice" => [Blocks[0], Blocks[1] with { UncompressedOffset = 1000 }, Blocks[2]],
            "past the end" => [Blocks[0], Blocks[1], Blocks[2] with { CompressedLength = 5000 }],
            "short of the end" => [Blocks[0], Blocks[1]],
            "an empty block" => [Blocks[0], Blocks[1], Blocks[2] with { UncompressedLength = 0 }],
            "no blocks" => [],
            _ => Blocks,
        };
        var index = Index(blocks) with { TarSizeBytes = lie == "another tar size" ? 2501 : 2500 };

        var refused = Assert.Throws<InvalidDataException>(() => ArchiveBlockTable.From(index, ArchiveSize, "the index"));

        Assert.Contains("the index", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1, 10)]
    [InlineData(2495, 10)]
    [InlineData(2501, 0)]
    public void A_file_said_to_lie_outside_the_tar_stream_is_refused(long offset, long size)
    {
        var index = Index(Blocks) with { Entries = [new ArchiveIndexEntry("raw/20241026/a.csv", size, "00", "0644", DateTimeOffset.UnixEpoch) { DataOffset = offset }] };

        Assert.Throws<InvalidDataException>(() => ArchiveBlockTable.From(index, ArchiveSize, "index"));
    }

    private static ArchiveIndex Index(ArchiveBlock[]? blocks) => new()
    {
        Partition = PartitionDate.Parse("20241026"),
        CreatedAtUtc = DateTimeOffset.UnixEpoch,
        ArchiveSizeBytes = ArchiveSize,
        ArchiveSha256 = "00",
        Entries = [],
        TarSizeBytes = blocks is null ? null : 2500,
        Blocks = blocks,
    };
}
