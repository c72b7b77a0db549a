using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// The block and entry index of archives of every shape, and <c>cat</c> of one file of a day, live or archived, on
/// real files through the built tool: the index's offsets point at each file's bytes, each block inflates alone,
/// <c>cat</c> gives the source's bytes, and a lying table, bytes that differ from the index, an old index and an
/// archive without one are each handled as the contract says.
/// </summary>
public sealed class DayFileReadTests : IDisposable
{
    private const string Day = "20241026";
    private static readonly string LongName = new string('n', 120) + ".csv";
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _sources;

    public DayFileReadTests()
    {
        _root = _temp.Combine("store");
        _sources = _temp.Combine("sources");
        Directory.CreateDirectory(_root);
    }

    private string ArchivePath => Path.Combine(_root, "archive", Day + ".tar.gz");

    private string IndexPath => ArchivePath + ".index.json";

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Index_offsets_and_blocks_point_at_every_file_and_cat_returns_each_byte_for_byte()
    {
        var files = await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();
        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        var tar = Inflate(await File.ReadAllBytesAsync(ArchivePath));

        Assert.Equal(2, (int)index["schemaVersion"]!);
        Assert.Equal(tar.Length, (long)index["tarSizeBytes"]!);
        AssertIndexPointsAtData(index, tar, files);
        var blocks = index["blocks"]!.AsArray();
        Assert.True(blocks.Count >= 3, $"a day of {tar.Length} tar bytes should have several blocks, the index lists {blocks.Count}");
        AssertBlocksInflateAlone(blocks, await File.ReadAllBytesAsync(ArchivePath), tar);

        MoveLiveDayAway();
        foreach (var (path, bytes) in files)
        {
            var cat = await CatProcess.RunAsync(_root, Day, path);
            Assert.True(cat.ExitCode == 0, $"cat {path}: exit {cat.ExitCode} {cat.StdErr}");
            Assert.True(bytes.AsSpan().SequenceEqual(cat.Bytes), $"cat {path} gave {cat.Bytes.Length} bytes that differ from the source's {bytes.Length}");
        }

        // A name in the day's raw folder means raw/D/name.
        var byName = await CatProcess.RunAsync(_root, Day, "prices_a.csv");
        Assert.Equal(files[$"raw/{Day}/prices_a.csv"], byName.Bytes);
    }

    [Fact]
    public async Task Carried_over_files_get_their_new_offsets_after_a_late_write_and_archive_force()
    {
        var files = await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();

        // The raw day is pruned, then the ETL writes late: the new archive carries every raw file over.
        Directory.Delete(Path.Combine(_root, "raw", Day), recursive: true);
        var summary = Path.Combine(_root, "processed", Day, "load_summary.json");
        await File.WriteAllTextAsync(summary, "{\"schemaVersion\":1,\"rows\":12345678}");
        File.SetLastWriteTimeUtc(summary, DateTime.UtcNow.AddMinutes(5));
        files[$"processed/{Day}/load_summary.json"] = await File.ReadAllBytesAsync(summary);
        var again = await ToolProcess.RunAsync("--root", _root, "archive", Day, "--force");
        Assert.True(again.ExitCode == 0, again.ToString());

        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        AssertIndexPointsAtData(index, Inflate(await File.ReadAllBytesAsync(ArchivePath)), files);
        Directory.Delete(Path.Combine(_root, "processed", Day), recursive: true);
        foreach (var (path, bytes) in files)
        {
            var cat = await CatProcess.RunAsync(_root, Day, path);
            Assert.True(cat.ExitCode == 0 && bytes.AsSpan().SequenceEqual(cat.Bytes), $"cat {path} of the replaced archive: exit {cat.ExitCode} {cat.StdErr}");
        }
    }

    [Theory]
    [InlineData("overlapping")]
    [InlineData("past-the-end")]
    [InlineData("file-outside-the-tar")]
    public async Task A_block_table_that_lies_is_refused_by_cat_with_exit_1_and_one_line_and_reported_by_verify(string lie)
    {
        var files = await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();
        MoveLiveDayAway();
        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        var blocks = index["blocks"]!.AsArray();
        switch (lie)
        {
            case "overlapping":
                blocks[1]![0] = (long)blocks[1]![0]! - 100;
                break;
            case "past-the-end":
                blocks[^1]![1] = (long)blocks[^1]![1]! + (1 << 20);
                break;
            default:
                index["entries"]![0]!["dataOffset"] = (long)index["tarSizeBytes"]!;
                break;
        }

        await File.WriteAllTextAsync(IndexPath, index.ToJsonString());

        var cat = await CatProcess.RunAsync(_root, Day, files.Keys.First());
        var verify = await ToolProcess.RunAsync("--root", _root, "verify", Day);

        Assert.Equal(1, cat.ExitCode);
        Assert.Empty(cat.Bytes);
        Assert.Single(cat.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Contains("block table", cat.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("block table", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bytes_that_do_not_match_the_index_sha256_are_an_error_through_cat()
    {
        var files = await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();
        MoveLiveDayAway();
        var path = $"raw/{Day}/prices_a.csv";
        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        var entry = index["entries"]!.AsArray().Single(e => (string)e!["path"]! == path)!;
        entry["sha256"] = Convert.ToHexStringLower(SHA256.HashData("other bytes"u8));
        await File.WriteAllTextAsync(IndexPath, index.ToJsonString());

        var cat = await CatProcess.RunAsync(_root, Day, path);

        Assert.Equal(1, cat.ExitCode);
        Assert.Single(cat.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Contains("does not match its index", cat.StdErr, StringComparison.Ordinal);
        Assert.True(cat.Bytes.Length < files[path].Length, "the last bytes of a file that fails its check must be withheld");
    }

    [Fact]
    public async Task A_damaged_byte_in_the_blocks_of_a_file_is_an_error_through_cat_never_other_bytes()
    {
        var files = await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();
        MoveLiveDayAway();
        var path = $"raw/{Day}/prices_a.csv";
        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        var offset = (long)index["entries"]!.AsArray().Single(e => (string)e!["path"]! == path)!["dataOffset"]!;
        var block = index["blocks"]!.AsArray().Last(b => (long)b![2]! <= offset)!;
        var archive = await File.ReadAllBytesAsync(ArchivePath);
        // The block's deflate header is made to name the reserved type, so inflating it fails whatever it holds; a
        // byte flipped inside the block could decode quietly to other bytes of another entry sharing it.
        archive[(int)(long)block[0]!] |= 0b110;
        await File.WriteAllBytesAsync(ArchivePath, archive);

        var cat = await CatProcess.RunAsync(_root, Day, path);

        Assert.Equal(1, cat.ExitCode);
        Assert.Single(cat.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Contains(path, cat.StdErr, StringComparison.Ordinal);
        Assert.False(files[path].AsSpan().SequenceEqual(cat.Bytes), "a damaged archive gave the whole file");
    }

    [Fact]
    public async Task A_version_1_index_and_an_archive_gnu_tar_made_without_one_are_read_from_the_start()
    {
        var files = await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();
        MoveLiveDayAway();
        await RewriteIndexAsVersion1Async();
        await AssertCatGivesAsync(files);

        File.Delete(IndexPath);
        File.Delete(ArchivePath);
        var made = await Shell.RunAsync("tar", "czf", ArchivePath, "-C", _sources, $"raw/{Day}", $"processed/{Day}");
        Assert.True(made.ExitCode == 0, made.ToString());
        await AssertCatGivesAsync(files);
        var missing = await CatProcess.RunAsync(_root, Day, "not_there.csv");
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains($"raw/{Day}/not_there.csv", missing.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_live_day_is_read_from_its_folder_and_a_missing_day_or_file_is_exit_2_naming_it()
    {
        var files = await WriteDayOfEveryShapeAsync();

        await AssertCatGivesAsync(files);
        var noDay = await CatProcess.RunAsync(_root, "20240101", "x.csv");
        var noFile = await CatProcess.RunAsync(_root, Day, $"processed/{Day}/nothing.json");
        var otherDay = await CatProcess.RunAsync(_root, Day, "raw/20240101/x.csv");

        Assert.Equal(2, noDay.ExitCode);
        Assert.Contains("20240101", noDay.StdErr, StringComparison.Ordinal);
        Assert.Single(noDay.StdErr.TrimEnd('\n').Split('\n'));
        Assert.Equal(2, noFile.ExitCode);
        Assert.Contains($"processed/{Day}/nothing.json", noFile.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, otherDay.ExitCode);
    }

    [Fact]
    public async Task Cat_into_a_reader_that_has_gone_ends_quietly_with_the_pipe_status()
    {
        await WriteDayOfEveryShapeAsync();
        await ArchiveAsync();
        MoveLiveDayAway();

        // A fifo whose only reader is closed before the tool starts, as `| head -c 10` does to a long file.
        var result = await Shell.RunAsync(
            "bash",
            "-u",
            "-c",
            $"cd '{_temp.Path}'\nmkfifo pipe\nexec 3<>pipe 4>pipe\nexec 3<&-\ndotnet '{ToolProcess.DllPath}' --root '{_root}' cat {Day} prices_a.csv >&4 2>err\necho \"exit=$?\"\n");

        Assert.Equal("exit=141", result.StdOut.Trim());
        Assert.Equal(string.Empty, await File.ReadAllTextAsync(_temp.Combine("err")));
    }

    [Fact]
    public async Task Archiving_a_day_again_gives_its_version_1_index_a_block_table()
    {
        // No PAX entry: TarWriter names a PAX header after the writing process's id, so that archive is never
        // byte-identical across runs, and this is about the index of an unchanged archive.
        var files = await WriteDayOfEveryShapeAsync(longName: false);
        await ArchiveAsync();
        var archiveBytes = await File.ReadAllBytesAsync(ArchivePath);
        await RewriteIndexAsVersion1Async();

        await ArchiveAsync();

        Assert.Equal(archiveBytes, await File.ReadAllBytesAsync(ArchivePath));
        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!;
        Assert.Equal(2, (int)index["schemaVersion"]!);
        Assert.NotNull(index["blocks"]);
        AssertIndexPointsAtData(index, Inflate(archiveBytes), files);
    }

    /// <summary>The index as the previous version wrote it: no block table, no data offsets.</summary>
    private async Task RewriteIndexAsVersion1Async()
    {
        var index = JsonNode.Parse(await File.ReadAllTextAsync(IndexPath))!.AsObject();
        index["schemaVersion"] = 1;
        index.Remove("blocks");
        index.Remove("tarSizeBytes");
        foreach (var entry in index["entries"]!.AsArray())
        {
            entry!.AsObject().Remove("dataOffset");
        }

        await File.WriteAllTextAsync(IndexPath, index.ToJsonString());
    }

    private async Task AssertCatGivesAsync(Dictionary<string, byte[]> files)
    {
        foreach (var (path, bytes) in files)
        {
            var cat = await CatProcess.RunAsync(_root, Day, path);
            Assert.True(cat.ExitCode == 0, $"cat {path}: exit {cat.ExitCode} {cat.StdErr}");
            Assert.True(bytes.AsSpan().SequenceEqual(cat.Bytes), $"cat {path} gave other bytes");
        }
    }

    /// <summary>
    /// A day with several megabytes of CSV (several 1 MiB blocks), an empty file, a hidden file, a name too long for
    /// ustar (a PAX header), a nested folder and a processed day. No download manifest: the shapes are the point.
    /// </summary>
    private async Task<Dictionary<string, byte[]>> WriteDayOfEveryShapeAsync(bool longName = true)
    {
        var raw = Path.Combine(_root, "raw", Day);
        Directory.CreateDirectory(Path.Combine(raw, "nested"));
        var random = new Random(7);
        foreach (var (name, rows) in new[] { ("prices_a.csv", 70_000), ("prices_b.csv", 40_000) })
        {
            var text = new StringBuilder("chain,store,item,price\n");
            for (var row = 0; row < rows; row++)
            {
                text.Append(CultureInfoInvariant($"{random.Next(100)},{random.Next(1000)},{random.NextInt64(1_000_000_000_000)},{random.Next(100000) / 100.0}\n"));
            }

            await File.WriteAllTextAsync(Path.Combine(raw, name), text.ToString());
        }

        await File.WriteAllTextAsync(Path.Combine(raw, "small.csv"), "a,b\n1,2\n");
        await File.WriteAllBytesAsync(Path.Combine(raw, "empty.csv"), []);
        await File.WriteAllTextAsync(Path.Combine(raw, ".hidden"), "hidden\n");
        await File.WriteAllTextAsync(Path.Combine(raw, "nested", longName ? LongName : "short.csv"), "long,name\n");
        SampleStore.WriteProcessedDay(_root, Day);

        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var area in new[] { "raw", "processed" })
        {
            var folder = Path.Combine(_root, area, Day);
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
            {
                files[$"{area}/{Day}/{Path.GetRelativePath(folder, file).Replace('\\', '/')}"] = await File.ReadAllBytesAsync(file);
            }
        }

        return files;
    }

    private static string CultureInfoInvariant(FormattableString text) => FormattableString.Invariant(text);

    private async Task ArchiveAsync()
    {
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", Day);
        Assert.True(archive.ExitCode == 0, archive.ToString());
    }

    /// <summary>Moves the live day out of the store (kept under sources/ for GNU tar), so only the archive is left to read.</summary>
    private void MoveLiveDayAway()
    {
        foreach (var area in new[] { "raw", "processed" })
        {
            Directory.CreateDirectory(Path.Combine(_sources, area));
            Directory.Move(Path.Combine(_root, area, Day), Path.Combine(_sources, area, Day));
        }
    }

    private static byte[] Inflate(byte[] archive)
    {
        using var gzip = new GZipStream(new MemoryStream(archive), CompressionMode.Decompress);
        using var tar = new MemoryStream();
        gzip.CopyTo(tar);
        return tar.ToArray();
    }

    private static void AssertIndexPointsAtData(JsonNode index, byte[] tar, Dictionary<string, byte[]> files)
    {
        var entries = index["entries"]!.AsArray();
        Assert.Equal(files.Keys.Order(StringComparer.Ordinal), entries.Select(e => (string)e!["path"]!));
        foreach (var entry in entries)
        {
            var (path, offset, size) = ((string)entry!["path"]!, (long)entry["dataOffset"]!, (long)entry["sizeBytes"]!);
            Assert.True(files[path].AsSpan().SequenceEqual(tar.AsSpan((int)offset, (int)size)), $"the index's data offset {offset} of {path} does not point at its bytes");
        }
    }

    private static void AssertBlocksInflateAlone(JsonArray blocks, byte[] archive, byte[] tar)
    {
        long expectedCompressed = 10;
        foreach (var block in blocks)
        {
            var (cOffset, cLength, uOffset, uLength) = ((long)block![0]!, (long)block[1]!, (long)block[2]!, (long)block[3]!);
            Assert.Equal(expectedCompressed, cOffset);
            expectedCompressed += cLength;
            using var deflate = new DeflateStream(
                new MemoryStream([.. archive.AsSpan((int)cOffset, (int)cLength), 0x03, 0x00]), CompressionMode.Decompress);
            using var output = new MemoryStream();
            deflate.CopyTo(output);
            Assert.True(tar.AsSpan((int)uOffset, (int)uLength).SequenceEqual(output.ToArray()), $"block at {cOffset} does not inflate alone to tar bytes {uOffset}..{uOffset + uLength}");
        }

        Assert.Equal(archive.Length - 10, expectedCompressed);
    }
}
