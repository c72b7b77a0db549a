using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Tool.Demo;
using KaggleStorage.Layout;

namespace KaggleStorage.Tests.Demo;

public sealed class SampleDataWriterTests
{
    [Fact]
    public async Task Real_shape_day_has_162_files_of_the_dataset_kinds_with_a_heavy_tail()
    {
        var fileSystem = new MockFileSystem();
        const long Target = 16L << 20;

        var names = await new SampleDataWriter(fileSystem).WriteRealShapeDayAsync("/day", PartitionDate.Parse("20251126"), Target, seed: 1);

        Assert.Equal(SampleDataWriter.RealShapeFileCount, names.Count);
        Assert.Equal(40, names.Count(n => n.StartsWith("price_full_file_", StringComparison.Ordinal)));
        Assert.Equal(40, names.Count(n => n.StartsWith("promo_file_", StringComparison.Ordinal)));
        Assert.Equal(2, names.Count(n => n.StartsWith("store_file_", StringComparison.Ordinal)));
        var sizes = names.ToDictionary(n => n, n => fileSystem.FileInfo.New("/day/" + n).Length);
        var total = sizes.Values.Sum();
        Assert.InRange(total, Target * 9 / 10, Target * 11 / 10);
        var largest = sizes.MaxBy(s => s.Value);
        Assert.StartsWith("price_full_file_", largest.Key, StringComparison.Ordinal);
        Assert.InRange(largest.Value / (double)total, 0.14, 0.22);
        Assert.True(sizes.Values.Order().Take(80).Sum() < total / 5, "the small files should be a small share: the tail is heavy");
    }
}
