using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Restore and verify never report success on a damaged or unusual archive: header checksums, sparse files,
/// an index that disagrees, an entry that would replace the day folder, names that are not UTF-8.
/// </summary>
public sealed class DamagedArchiveTests : IDisposable
{
    private const string Day = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public DamagedArchiveTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    private string ArchivePath => Path.Combine(_root, "archive", Day + ".tar.gz");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Archive_whose_middle_header_has_a_zeroed_checksum_is_refused_by_restore_and_verify()
    {
        await ArchiveDayAsync();
        var tar = Decompress(await File.ReadAllBytesAsync(ArchivePath));
        var headers = HeaderOffsets(tar);
        var middle = headers[headers.Count / 2];
        tar.AsSpan(middle + 148, 8).Clear();
        await File.WriteAllBytesAsync(ArchivePath, Compress(tar));
        File.Delete(ArchivePath + ".index.json");
        Directory.Delete(Path.Combine(_root, "raw", Day), recursive: true);

        var gnu = await Shell.RunAsync("tar", "tzf", ArchivePath);
        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day);
        var verify = await ToolProcess.RunAsync("--root", _root, "verify", Day);

        Assert.NotEqual(0, gnu.ExitCode);
        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("checksum", restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)), "a damaged archive restored part of the day");
        Assert.Equal(1, verify.ExitCode);
        Assert.Contains("checksum", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gnu_sparse_pax_archive_is_refused_naming_the_entry()
    {
        var source = _temp.Combine("sparse-source");
        var raw = Path.Combine(source, "raw", Day);
        Directory.CreateDirectory(raw);
        await using (var file = File.Create(Path.Combine(raw, "holes.csv")))
        {
            file.SetLength(4 << 20);
            file.Write("a,b\n"u8);
        }

        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        var made = await Shell.RunAsync("tar", "--sparse", "--format=pax", "-czf", ArchivePath, "-C", source, $"raw/{Day}");
        Assert.True(made.ExitCode == 0, made.ToString());
        var target = _temp.Combine("target");

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", target);

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("sparse", restore.StdErr, StringComparison.Ordinal);
        Assert.Contains(ArchivePath, restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(target, "raw")));
    }

    [Fact]
    public async Task Restore_publishes_nothing_when_the_archive_differs_from_its_index()
    {
        await ArchiveDayAsync();
        var indexPath = ArchivePath + ".index.json";
        var index = await File.ReadAllTextAsync(indexPath);
        var firstSha = index.IndexOf("\"sha256\": \"", StringComparison.Ordinal) + "\"sha256\": \"".Length;
        var tampered = string.Concat(index.AsSpan(0, firstSha), index[firstSha] == '0' ? "1" : "0", index.AsSpan(firstSha + 1));
        await File.WriteAllTextAsync(indexPath, tampered);
        Directory.Delete(Path.Combine(_root, "raw", Day), recursive: true);

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--json");

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("differs from its index", restore.StdErr, StringComparison.Ordinal);
        Assert.Contains("\"exitCode\": 1", restore.StdOut, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
    }

    [Theory]
    [InlineData("day-as-file")]
    [InlineData("not-utf8")]
    [InlineData("mtime-out-of-range")]
    public async Task Unusual_entries_are_refused_with_a_message_naming_them(string kind)
    {
        Directory.CreateDirectory(Path.Combine(_root, "archive"));
        await File.WriteAllBytesAsync(ArchivePath, Compress(await BuildTarAsync(kind)));
        var target = _temp.Combine("target");

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", target);

        Assert.Equal(1, restore.ExitCode);
        Assert.StartsWith("error: ", restore.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("Ticks", restore.StdErr, StringComparison.Ordinal);
        Assert.Contains(kind switch
        {
            "day-as-file" => "would make the day folder raw/20241026 a file",
            "not-utf8" => "not valid UTF-8",
            _ => "out of range",
        }, restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(target, "raw")));
    }

    [Fact]
    public async Task Flipped_gzip_crc_is_reported_as_damage_not_as_an_unsupported_method()
    {
        await ArchiveDayAsync();
        var bytes = await File.ReadAllBytesAsync(ArchivePath);
        bytes[^6] ^= 0xFF;
        await File.WriteAllBytesAsync(ArchivePath, bytes);

        var verify = await ToolProcess.RunAsync("--root", _root, "verify", Day);

        Assert.Equal(1, verify.ExitCode);
        Assert.DoesNotContain("unsupported compression method", verify.StdOut, StringComparison.Ordinal);
        Assert.Contains("damaged", verify.StdOut, StringComparison.Ordinal);
    }

    private async Task ArchiveDayAsync()
    {
        await SampleStore.WriteRawDayAsync(_root, Day, 256 << 10);
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", Day);
        Assert.True(archive.ExitCode == 0, archive.ToString());
    }

    internal static async Task<byte[]> BuildTarAsync(string kind, string day = Day)
    {
        using var buffer = new MemoryStream();
        await using (var tar = new TarWriter(buffer, TarEntryFormat.Ustar, leaveOpen: true))
        {
            await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.Directory, "raw/"));
            switch (kind)
            {
                case "day-as-file":
                    await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, $"raw/{day}") { DataStream = new MemoryStream("x"u8.ToArray()) });
                    break;
                case "not-utf8":
                    await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, $"raw/{day}/NAMEMARK.csv") { DataStream = new MemoryStream("x"u8.ToArray()) });
                    break;
                default:
                    await tar.WriteEntryAsync(new UstarTarEntry(TarEntryType.RegularFile, $"raw/{day}/old.csv") { DataStream = new MemoryStream("x"u8.ToArray()) });
                    break;
            }
        }

        var bytes = buffer.ToArray();
        var header = HeaderOffsets(bytes)[^1];
        if (kind == "not-utf8")
        {
            // Latin-1 'é' (0xE9) alone is not UTF-8.
            var mark = bytes.AsSpan(header, 100).IndexOf("NAMEMARK"u8);
            bytes[header + mark] = 0xE9;
            FixChecksum(bytes, header);
        }
        else if (kind == "mtime-out-of-range")
        {
            // GNU base-256: a negative modification time far before year 1.
            var field = bytes.AsSpan(header + 136, 12);
            field.Fill(0xFF);
            field[1] = 0x00;
            FixChecksum(bytes, header);
        }

        return bytes;
    }

    private static void FixChecksum(byte[] tar, int header)
    {
        tar.AsSpan(header + 148, 8).Fill((byte)' ');
        var sum = 0;
        foreach (var b in tar.AsSpan(header, 512))
        {
            sum += b;
        }

        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(tar, header + 148);
    }

    private static List<int> HeaderOffsets(byte[] tar)
    {
        var offsets = new List<int>();
        for (var offset = 0; offset + 512 <= tar.Length && tar.AsSpan(offset, 512).ContainsAnyExcept((byte)0);)
        {
            offsets.Add(offset);
            var size = Convert.ToInt64(Encoding.ASCII.GetString(tar, offset + 124, 11).Trim('\0', ' ') is { Length: > 0 } text ? text : "0", 8);
            offset += 512 + (int)((size + 511) / 512 * 512);
        }

        return offsets;
    }

    private static byte[] Decompress(byte[] gzip)
    {
        using var output = new MemoryStream();
        using (var stream = new GZipStream(new MemoryStream(gzip), CompressionMode.Decompress))
        {
            stream.CopyTo(output);
        }

        return output.ToArray();
    }

    internal static byte[] Compress(byte[] data)
    {
        using var output = new MemoryStream();
        using (var stream = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true))
        {
            stream.Write(data);
        }

        return output.ToArray();
    }
}

public sealed class VerifyDayProblemTests : IDisposable
{
    private const string Broken = "20241025";
    private const string Good = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public VerifyDayProblemTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Kinds => ["archive-gone", "archive-is-a-folder", "index-names-another-day", "entries-null", "entry-not-utf8"];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_damaged_day_fails_verify_and_the_other_days_are_still_checked(string kind)
    {
        foreach (var day in new[] { Broken, Good })
        {
            await SampleStore.WriteRawDayAsync(_root, day, 64 << 10);
            Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", day)).ExitCode);
        }

        var archive = Path.Combine(_root, "archive", Broken + ".tar.gz");
        var index = archive + ".index.json";
        switch (kind)
        {
            case "archive-gone":
                File.Delete(archive);
                break;
            case "archive-is-a-folder":
                File.Delete(archive);
                Directory.CreateDirectory(archive);
                break;
            case "entry-not-utf8":
                // An archive whose entry name is not UTF-8 is refused, but it is damage of its own day only.
                await File.WriteAllBytesAsync(archive, DamagedArchiveTests.Compress(await DamagedArchiveTests.BuildTarAsync("not-utf8", Broken)));
                break;
            case "index-names-another-day":
                await File.WriteAllTextAsync(index, (await File.ReadAllTextAsync(index)).Replace($"\"{Broken}\"", $"\"{Good}\"", StringComparison.Ordinal));
                break;
            default:
                var text = await File.ReadAllTextAsync(index);
                var start = text.IndexOf("\"entries\"", StringComparison.Ordinal);
                await File.WriteAllTextAsync(index, string.Concat(text.AsSpan(0, start), "\"entries\": null\n}"));
                break;
        }

        var verify = await ToolProcess.RunAsync("--root", _root, "verify");
        var json = await ToolProcess.RunAsync("--root", _root, "verify", "--json");
        var scrub = await ToolProcess.RunAsync("--root", _root, "scrub", "--days", "2");

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"{Broken}: ", verify.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{Good}: manifest valid, archive ok", verify.StdOut, StringComparison.Ordinal);
        Assert.Contains("1 with problems", verify.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        using var document = System.Text.Json.JsonDocument.Parse(json.StdOut);
        Assert.Equal(2, document.RootElement.GetProperty("days").GetArrayLength());
        if (kind == "entry-not-utf8")
        {
            Assert.Contains("not valid UTF-8", verify.StdOut, StringComparison.Ordinal);
        }

        // Scrub reads both archives too: the damaged one fails for its day, the good one is proven.
        Assert.True(scrub.ExitCode == 1, scrub.ToString());
        Assert.Contains($"{Good}: archive ok", scrub.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{Broken}: ", scrub.StdOut, StringComparison.Ordinal);
    }
}

public sealed class RestoreSpaceTests : IDisposable
{
    private const string Day = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public RestoreSpaceTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Restore_refuses_before_writing_when_the_index_total_exceeds_the_free_space()
    {
        await SampleStore.WriteRawDayAsync(_root, Day, 12 << 20);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        using var volume = SmallVolume.MountUnlessUnprivileged(_temp.Combine("small"), 4);
        if (volume is null)
        {
            return;
        }

        var restore = await ToolProcess.RunAsync("--root", _root, "restore", Day, "--into", volume.Path);

        Assert.Equal(1, restore.ExitCode);
        Assert.Matches(@"needs \d+ bytes in .*, but only \d+ are free; nothing was written", restore.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(volume.Path));
    }

    [Fact]
    public async Task Restore_without_an_index_stops_at_the_configured_ceiling_and_publishes_nothing()
    {
        await SampleStore.WriteRawDayAsync(_root, Day, 2 << 20);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "archive", Day)).ExitCode);
        File.Delete(Path.Combine(_root, "archive", Day + ".tar.gz.index.json"));
        Directory.Delete(Path.Combine(_root, "raw", Day), recursive: true);

        var restore = await ToolProcess.RunAsync(
            ["--root", _root, "restore", Day], new Dictionary<string, string?> { ["KaggleStorage__MaxRestoreBytes"] = "1000000" });

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains("MaxRestoreBytes", restore.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
    }

    [Fact]
    public async Task Archive_on_a_full_volume_fails_cleanly_and_leaves_no_half_written_archive_or_lock()
    {
        using var volume = SmallVolume.MountUnlessUnprivileged(_temp.Combine("small"), 3);
        if (volume is null)
        {
            return;
        }

        var root = Path.Combine(volume.Path, "store");
        await SampleStore.WriteRawDayAsync(root, Day, 1 << 20);
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", root, "init")).ExitCode);

        // Fill the volume up to the last 64 KiB: room for the lock, not for the archive.
        var filler = Path.Combine(volume.Path, "filler");
        await File.WriteAllBytesAsync(filler, new byte[new DriveInfo(volume.Path).AvailableFreeSpace - (64 << 10)]);

        var archive = await ToolProcess.RunAsync("--root", root, "archive", Day);
        var status = await ToolProcess.RunAsync("--root", root, "status");

        Assert.Equal(1, archive.ExitCode);
        Assert.StartsWith("error: ", archive.StdErr, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(root, "archive", Day + ".tar.gz")));
        Assert.False(File.Exists(Path.Combine(root, ".locks", "store.lock")));
        Assert.False(Directory.Exists(Path.Combine(root, ".staging")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, ".staging")).Any());
        Assert.Contains("Lock: free", status.StdOut, StringComparison.Ordinal);
    }
}
