using System.IO.Abstractions;
using System.Security.Cryptography;
using System.Text;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.IO;

namespace KaggleStorage.IntegrationTests.Rules;

/// <summary>The one comparison of an expected file set with an actual one, over real files.</summary>
public sealed class FileSetComparerTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileSystem _fileSystem = new();
    private readonly List<string> _hashed = [];

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Missing_extra_size_and_hash_differences_are_each_named_once_and_the_rest_pair_as_same()
    {
        var expected = new[]
        {
            Entry("same.csv", "a,b\n1,2\n"),
            Entry("gone.csv", "x"),
            Entry("longer.csv", "short"),
            Entry("edited.csv", "1234"),
        };
        var actual = new[]
        {
            Write("edited.csv", "abcd"),
            Write("longer.csv", "much longer"),
            Write("same.csv", "a,b\n1,2\n"),
            Write("new.csv", "n"),
        };

        var comparison = await FileSetComparer.CompareAsync(expected, actual, HashAsync, CancellationToken.None);

        Assert.Equal(
            [
                (FileDifferenceKind.Missing, "gone.csv"),
                (FileDifferenceKind.SizeDiffers, "longer.csv"),
                (FileDifferenceKind.HashDiffers, "edited.csv"),
                (FileDifferenceKind.Extra, "new.csv"),
            ],
            comparison.Differences.Select(d => (d.Kind, d.Name)));
        Assert.Equal(["same.csv"], comparison.Same.Select(pair => pair.Actual.Name));
        Assert.Equal(Sha256("a,b\n1,2\n"), comparison.Same[0].Actual.Sha256);
        Assert.Equal(3, comparison.Paired);
        Assert.False(comparison.IsEqual);
    }

    [Fact]
    public async Task A_pair_of_other_sizes_is_never_read_and_without_a_hasher_nothing_is()
    {
        var expected = new[] { Entry("big.csv", "0123456789"), Entry("equal.csv", "same") };
        var actual = new[] { Write("big.csv", "01234"), Write("equal.csv", "same") };

        await FileSetComparer.CompareAsync(expected, actual, HashAsync, CancellationToken.None);
        Assert.Equal([_temp.Combine("equal.csv")], _hashed);

        _hashed.Clear();
        var sizesOnly = FileSetComparer.Compare(expected, actual);
        Assert.Empty(_hashed);
        Assert.Equal([(FileDifferenceKind.SizeDiffers, "big.csv")], sizesOnly.Differences.Select(d => (d.Kind, d.Name)));
    }

    [Fact]
    public async Task Both_sides_without_a_hash_are_hashed_and_hex_compares_without_regard_to_case()
    {
        var source = Write("src/day.csv", "same bytes") with { Name = "day.csv" };
        var copy = Write("dst/day.csv", "same bytes") with { Name = "day.csv" };

        var hashedBoth = await FileSetComparer.CompareAsync([source], [copy], HashAsync, CancellationToken.None);
        var upper = FileSetComparer.Compare([Entry("day.csv", "same bytes") with { Sha256 = Sha256("same bytes").ToUpperInvariant() }], [Entry("day.csv", "same bytes")]);

        Assert.True(hashedBoth.IsEqual);
        Assert.Equal(2, _hashed.Count);
        Assert.True(upper.IsEqual);
    }

    [Fact]
    public void A_name_the_actual_side_holds_twice_pairs_once_and_the_second_copy_is_an_extra()
    {
        var entry = Entry("raw/20241026/a.csv", "a");

        var comparison = FileSetComparer.Compare([entry], [entry, entry with { Sha256 = Sha256("b") }]);

        Assert.Single(comparison.Same);
        var extra = Assert.Single(comparison.Differences);
        Assert.Equal(FileDifferenceKind.Extra, extra.Kind);
        Assert.Equal(Sha256("b"), extra.Found.Sha256);
    }

    [Fact]
    public async Task A_file_that_cannot_be_read_is_its_own_difference_the_rest_is_still_compared_and_it_can_be_rethrown()
    {
        var expected = new[] { Entry("vanished.csv", "v"), Entry("edited.csv", "1") };
        var vanished = Write("vanished.csv", "v");
        File.Delete(vanished.Path!);
        var actual = new[] { vanished, Write("edited.csv", "2") };

        var comparison = await FileSetComparer.CompareAsync(expected, actual, HashAsync, CancellationToken.None);

        Assert.Equal(
            [(FileDifferenceKind.Unreadable, "vanished.csv"), (FileDifferenceKind.HashDiffers, "edited.csv")],
            comparison.Differences.Select(d => (d.Kind, d.Name)));
        Assert.IsType<FileNotFoundException>(comparison.Differences[0].Error);
        Assert.Throws<FileNotFoundException>(() => comparison.ThrowIfUnreadable());
    }

    private static FileSetEntry Entry(string name, string content) =>
        new(name, Encoding.UTF8.GetByteCount(content), Sha256(content));

    private FileSetEntry Write(string name, string content)
    {
        var path = _temp.Combine(name.Split('/'));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return new FileSetEntry(name, new FileInfo(path).Length, Path: path);
    }

    private Task<string> HashAsync(FileSetEntry file, CancellationToken cancellationToken)
    {
        _hashed.Add(file.Path!);
        return Sha256Hasher.HashFileAsync(_fileSystem, file.Path!, cancellationToken);
    }

    private static string Sha256(string content) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
}
