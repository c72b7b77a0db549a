using System.IO.Abstractions.TestingHelpers;
using System.Security.Cryptography;
using System.Text;
using KaggleStorage.Manifests;

namespace KaggleStorage.Tests.Manifests;

public sealed class FileFingerprinterTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("a,b\n", 0)]
    [InlineData("a,b", 0)]
    [InlineData("a,b\n1,2\n3,4\n", 2)]
    [InlineData("a,b\n1,2\n3,4", 2)]
    [InlineData("a,b\r\n1,2\r\n3,4\r\n", 2)]
    [InlineData("a,b\n1,\"line\nbreak\"\n3,4\n", 2)]
    [InlineData("a,b\n1,\"say \"\"hi\"\"\n again\"\n", 1)]
    [InlineData("a,b\n\n1,2\n\n", 1)]
    public void Csv_rows_exclude_the_header_and_respect_quotes(string content, long rows)
    {
        var counter = new CsvRecordCounter();
        var bytes = Encoding.UTF8.GetBytes(content);

        // Feed byte by byte as well, so state carried across buffer boundaries is exercised.
        foreach (var b in bytes)
        {
            counter.Add([b]);
        }

        Assert.Equal(rows, counter.DataRows);
    }

    [Fact]
    public async Task Fingerprint_matches_an_independent_sha256_and_size()
    {
        var fileSystem = new MockFileSystem();
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("7290027600007,חלב תנובה 3%,5.90\n", 100_000)));
        fileSystem.AddFile("/d/prices.csv", new MockFileData([.. "h\n"u8, .. content]));

        var file = await new FileFingerprinter(fileSystem).ComputeAsync("/d/prices.csv", "prices.csv");

        Assert.Equal(content.Length + 2, file.SizeBytes);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(fileSystem.File.ReadAllBytes("/d/prices.csv"))), file.Sha256);
        Assert.Equal(100_000, file.RowCount);
    }

    [Fact]
    public async Task Non_csv_files_have_no_row_count()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.AddFile("/d/readme.txt", new MockFileData("a\nb\n"));

        var file = await new FileFingerprinter(fileSystem).ComputeAsync("/d/readme.txt", "readme.txt");

        Assert.Null(file.RowCount);
    }

    [Fact]
    public async Task Partition_fingerprint_lists_nested_and_hidden_files_in_ordinal_order_without_the_manifest()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.AddFile("/p/b.csv", new MockFileData("h\n1\n"));
        fileSystem.AddFile("/p/A.csv", new MockFileData("h\n1\n"));
        fileSystem.AddFile("/p/sub/c.csv", new MockFileData("h\n1\n"));
        fileSystem.AddFile("/p/download_manifest.json", new MockFileData("{}"));
        fileSystem.AddFile("/p/.notes", new MockFileData("kept"));
        fileSystem.AddFile("/p/sub/download_manifest.json", new MockFileData("{}"));

        var files = await new FileFingerprinter(fileSystem).ComputePartitionAsync("/p");

        Assert.Equal(new[] { ".notes", "A.csv", "b.csv", "sub/c.csv", "sub/download_manifest.json" }, files.Select(f => f.Name));
    }
}
