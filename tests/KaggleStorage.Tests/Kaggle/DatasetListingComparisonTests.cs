using KaggleStorage.IO;
using KaggleStorage.Kaggle;

namespace KaggleStorage.Tests.Kaggle;

public sealed class DatasetListingComparisonTests
{
    [Fact]
    public void The_same_names_and_sizes_match()
    {
        var comparison = DatasetListingComparison.Compare([new("a.csv", 10), new("stores/b.csv", 20)], [File("a.csv", 10), File("stores/b.csv", 20)]);

        Assert.True(comparison.Matches);
    }

    [Fact]
    public void Missing_unlisted_and_resized_files_are_each_named()
    {
        var comparison = DatasetListingComparison.Compare(
            [new("a.csv", 10), new("b.csv", 20), new("c.csv", 30)],
            [File("a.csv", 10), File("b.csv", 21), File("d.csv", 5)]);

        Assert.False(comparison.Matches);
        Assert.Equal(["c.csv"], comparison.Missing);
        Assert.Equal(["d.csv"], comparison.Unlisted);
        Assert.Equal([("b.csv", 21L, 20L)], comparison.SizeDiffers);
        Assert.Equal(
            "1 listed file missing from the zip (c.csv); 1 file in the zip that Kaggle does not list (d.csv); 1 file of another size than listed (b.csv: 21 bytes, listed 20)",
            comparison.Describe());
    }

    [Fact]
    public void A_file_listed_without_a_size_is_compared_by_name()
    {
        var comparison = DatasetListingComparison.Compare([new("a.csv", null), new("a.csv", null)], [File("a.csv", 12345)]);

        Assert.True(comparison.Matches);
    }

    [Fact]
    public void An_unlisted_file_in_a_folder_is_tolerated_but_counted()
    {
        var comparison = DatasetListingComparison.Compare([new("a.csv", 1)], [File("a.csv", 1), File("stores/b.csv", 2)]);

        Assert.True(comparison.Matches);
        Assert.Equal(["stores/b.csv"], comparison.UnlistedInFolders);
    }

    [Fact]
    public void No_files_never_match_even_against_an_empty_listing()
    {
        var comparison = DatasetListingComparison.Compare([], []);

        Assert.False(comparison.Matches);
        Assert.Equal("it holds no files", comparison.Describe());
    }

    [Fact]
    public void Only_the_first_three_names_of_a_kind_are_printed_and_names_stay_on_one_line()
    {
        var comparison = DatasetListingComparison.Compare(
            [new("a\n.csv", 1), new("b.csv", 1), new("c.csv", 1), new("d.csv", 1), new("e.csv", 1), new("z.csv", 1)],
            [File("z.csv", 1)]);

        Assert.Equal(@"5 listed files missing from the zip (a\x0A.csv, b.csv, c.csv and 2 more)", comparison.Describe());
    }

    private static DayFile File(string name, long size) => new(name, "/staging/" + name, size);
}
