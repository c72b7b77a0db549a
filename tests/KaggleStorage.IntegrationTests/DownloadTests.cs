using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

public sealed class DownloadTests : IAsyncLifetime, IDisposable
{
    private const string Day = "20241026";
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly List<ToolResult> _runs = [];
    private FakeKaggleServer _kaggle = null!;

    public DownloadTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    private static (string Name, string Content)[] Files(string price = "5.90") =>
    [
        ("price_full_file_shufersal.csv", $"chainid,storeid,itemcode,itemname,itemprice\n7290027600007,1,7290000000001,\"חלב תנובה 3%, 1 ליטר\",{price}\n7290027600007,2,7290000000002,לחם אחיד,6.20\n"),
        ("promo_full_file_victory.csv", "chainid,promotionid,itemcode,discountedprice\n7290696200003,1000001,7290000000001,4.90\n"),
        ("stores/store_file_victory.csv", "chainid,storeid,storename\n7290696200003,1,ויקטורי תל אביב\n"),
    ];

    public async Task InitializeAsync()
    {
        _kaggle = await FakeKaggleServer.StartAsync();
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files());
    }

    public async Task DisposeAsync() => await _kaggle.DisposeAsync();

    public void Dispose()
    {
        // Whatever a test did, no secret must have been printed: not the key, not the token, not the signed URL's signature.
        foreach (var secret in new[] { FakeKaggleServer.Key, FakeKaggleServer.Token, FakeKaggleServer.SignatureSecret })
        {
            Assert.All(_runs, run => Assert.DoesNotContain(secret, run.StdOut + run.StdErr, StringComparison.Ordinal));
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Download_publishes_the_files_with_a_manifest_that_matches_them()
    {
        var result = await RunAsync("download", "--date", Day, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var partition = Path.Combine(_root, "raw", Day);
        foreach (var (name, content) in Files())
        {
            Assert.Equal(content, File.ReadAllText(Path.Combine(partition, name)));
        }

        var manifestText = File.ReadAllText(Path.Combine(partition, "download_manifest.json"));
        Assert.DoesNotContain(FakeKaggleServer.Key, manifestText, StringComparison.Ordinal);
        using var manifest = JsonDocument.Parse(manifestText);
        Assert.Equal("7", manifest.RootElement.GetProperty("datasetVersion").GetString());
        Assert.Equal($"https://www.kaggle.com/datasets/{FakeKaggleServer.Owner}/{FakeKaggleServer.Slug}/versions/7", manifest.RootElement.GetProperty("source").GetString());
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal(Files().Select(f => f.Name).Order(StringComparer.Ordinal), listed.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, content) in Files())
        {
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))), listed[name].GetProperty("sha256").GetString());
        }

        Assert.Equal(2, listed["price_full_file_shufersal.csv"].GetProperty("rowCount").GetInt64());
        Assert.Empty(_kaggle.CredentialsSentToStorage);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
        Assert.Equal(0, (await RunAsync("verify", Day)).ExitCode);
    }

    [Fact]
    public async Task Existing_day_is_skipped_and_force_replaces_it()
    {
        Assert.Equal(0, (await RunAsync("download", "--date", Day)).ExitCode);
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files(price: "4.50"));

        var skipped = await RunAsync("download", "--date", Day);
        var requestsAfterSkip = _kaggle.DownloadRequests;
        var forced = await RunAsync("download", "--date", Day, "--force");

        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Contains("already exists with a valid manifest", skipped.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, requestsAfterSkip);
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.StartsWith("Replaced", forced.StdOut, StringComparison.Ordinal);
        Assert.Contains(",4.50", File.ReadAllText(Path.Combine(_root, "raw", Day, "price_full_file_shufersal.csv")), StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("verify", Day)).ExitCode);
    }

    [Fact]
    public async Task An_existing_day_is_skipped_without_credentials()
    {
        Assert.Equal(0, (await RunAsync("download", "--date", Day)).ExitCode);
        var callsBefore = _kaggle.ApiCalls.Count;

        var skipped = await RunAsync(["download", "--date", Day], key: null);
        var dryRun = await RunAsync(["download", "--date", Day, "--dry-run"], key: null);

        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.Contains("already exists with a valid manifest", skipped.StdOut, StringComparison.Ordinal);
        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Equal(callsBefore, _kaggle.ApiCalls.Count);
    }

    [Fact]
    public async Task Without_a_terminal_the_extraction_shows_progress_lines_too()
    {
        // The dataset's CSVs are about six times its zip: minutes of extraction must not look like a hung job.
        var result = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, extra: new() { ["KAGGLE_STORAGE_PROGRESS_SECONDS"] = "0.000001" });

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.StdOut.Split('\n');
        var received = Array.FindIndex(lines, line => line.StartsWith("progress: ", StringComparison.Ordinal) && line.Contains(" of ", StringComparison.Ordinal) && !line.Contains("extracting", StringComparison.Ordinal));
        var extracting = Array.FindIndex(lines, line => line.StartsWith("progress: extracting ", StringComparison.Ordinal));
        Assert.True(received >= 0 && extracting > received, result.StdOut);
    }

    [Fact]
    public async Task A_date_in_the_future_is_refused_and_nothing_is_recorded()
    {
        var tomorrow = DateTime.UtcNow.AddDays(2).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);

        var result = await RunAsync("download", "--date", tomorrow);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"{tomorrow} is in the future", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_kaggle.ApiCalls);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", tomorrow)));
        Assert.False(File.Exists(Path.Combine(_root, "metadata", "downloads", tomorrow + ".json")));
    }

    [Fact]
    public async Task Dry_run_lists_what_would_be_fetched_and_writes_nothing()
    {
        var result = await RunAsync("download", "--date", Day, "--dry-run");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"Would download {FakeKaggleServer.Owner}/{FakeKaggleServer.Slug} version 7 as {FakeKaggleServer.Username}", result.StdOut, StringComparison.Ordinal);
        Assert.Contains("stores/store_file_victory.csv", result.StdOut, StringComparison.Ordinal);
        Assert.Equal(0, _kaggle.DownloadRequests);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_root));
    }

    [Fact]
    public async Task Rejected_credentials_name_the_user_and_leave_raw_unchanged()
    {
        var result = await RunAsync(["download", "--date", Day], key: "wrong-key");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"Kaggle rejected the credentials ({FakeKaggleServer.Username} (from KAGGLE_USERNAME/KAGGLE_KEY)) with HTTP 401", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("Unauthenticated", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-key", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
    }

    [Fact]
    public async Task Unknown_dataset_is_reported_as_not_found()
    {
        _kaggle.Mode = FakeKaggleMode.NotFound;

        var result = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("was not found (HTTP 404)", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FakeKaggleMode.ServerErrorOnce)]
    [InlineData(FakeKaggleMode.TooManyRequestsOnce)]
    public async Task Transient_failures_are_retried(FakeKaggleMode mode)
    {
        _kaggle.Mode = mode;

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, _kaggle.DownloadRequests);
        Assert.True(File.Exists(Path.Combine(_root, "raw", Day, "download_manifest.json")));
    }

    [Theory]
    [InlineData(FakeKaggleMode.AlwaysServerError, "HTTP 500")]
    [InlineData(FakeKaggleMode.CutHalfway, "download")]
    public async Task Failed_download_publishes_nothing_and_keeps_the_existing_day(FakeKaggleMode mode, string message)
    {
        Assert.Equal(0, (await RunAsync("download", "--date", Day)).ExitCode);
        var before = Shell.HashTree(Path.Combine(_root, "raw"));
        _kaggle.Mode = mode;
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files(price: "9.99"));
        _kaggle.Version = 8;

        var fresh = await RunAsync("download", "--date", "20241027");
        var forced = await RunAsync("download", "--date", Day, "--force");

        Assert.Equal(1, fresh.ExitCode);
        Assert.Contains(message, fresh.StdErr, StringComparison.Ordinal);
        Assert.Equal(1, forced.ExitCode);
        Assert.Equal(before, Shell.HashTree(Path.Combine(_root, "raw")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
    }

    [Theory]
    [InlineData("../evil.csv")]
    [InlineData("/tmp/kaggle-storage-evil.csv")]
    [InlineData("nested/../../evil.csv")]
    public async Task Malicious_zip_is_refused_whole(string entry)
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([.. Files(), (entry, "x,y\n1,2\n")]);

        var result = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("refused", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
        Assert.False(File.Exists(Path.Combine(_root, "evil.csv")));
        Assert.False(File.Exists(Path.Combine(_root, ".staging", "evil.csv")));
        Assert.False(File.Exists("/tmp/kaggle-storage-evil.csv"));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
    }

    [Fact]
    public async Task Corrupt_zip_is_a_clear_error()
    {
        _kaggle.Zip = Encoding.UTF8.GetBytes("this is not a zip file at all, just bytes");

        var result = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.True(result.StdErr.Contains("not a valid zip", StringComparison.Ordinal), result.ToString());
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
    }

    [Fact]
    public async Task A_zip_that_lacks_a_file_listed_on_a_later_page_is_refused_and_the_next_night_downloads_again()
    {
        _kaggle.Listing = Listed(Files());
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files().Where(f => f.Name != "promo_full_file_victory.csv"));

        var night1 = await RunAsync("download", "--date", Day);
        var listedPages = _kaggle.ApiCalls.Count(call => call is "rpc:ListDatasetFiles" or "rest:list");
        _kaggle.Listing = null;
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files());
        var night2 = await RunAsync("download", "--date", "20241027");

        AssertRefused(night1, "does not match Kaggle's listing of 3 files: 1 listed file missing from the zip (promo_full_file_victory.csv); nothing was published");
        Assert.Equal(2, listedPages);
        Assert.True(night2.ExitCode == 0, night2.ToString());
        Assert.StartsWith("Downloaded", night2.StdOut, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(_root, "raw", "20241027", "promo_full_file_victory.csv")));
    }

    [Fact]
    public async Task A_forced_download_whose_zip_does_not_match_the_listing_keeps_the_existing_day()
    {
        Assert.Equal(0, (await RunAsync("download", "--date", Day)).ExitCode);
        var before = Shell.HashTree(Path.Combine(_root, "raw"));
        _kaggle.Version = 8;
        _kaggle.Listing = Listed(Files(price: "4.50"));
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files(price: "4.50").Take(2));

        var forced = await RunAsync("download", "--date", Day, "--force");

        Assert.Equal(1, forced.ExitCode);
        Assert.Contains("1 listed file missing from the zip (stores/store_file_victory.csv)", forced.StdErr, StringComparison.Ordinal);
        Assert.Equal(before, Shell.HashTree(Path.Combine(_root, "raw")));
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
        Assert.Equal(0, (await RunAsync("verify", Day)).ExitCode);
    }

    [Fact]
    public async Task A_zip_with_a_top_level_file_that_kaggle_does_not_list_is_refused()
    {
        _kaggle.Listing = Listed(Files().Where(f => f.Name != "promo_full_file_victory.csv"));

        var result = await RunAsync("download", "--date", Day);

        AssertRefused(result, ": 1 file in the zip that Kaggle does not list (promo_full_file_victory.csv); nothing was published");
    }

    [Fact]
    public async Task A_file_of_another_size_than_listed_is_refused_naming_both_sizes()
    {
        var listing = Listed(Files());
        var size = listing[0].Size!.Value;
        _kaggle.Listing = [(listing[0].Name, size + 1), .. listing.Skip(1)];

        var result = await RunAsync("download", "--date", Day);

        AssertRefused(result, $": 1 file of another size than listed (price_full_file_shufersal.csv: {size} bytes, listed {size + 1}); nothing was published");
    }

    [Fact]
    public async Task A_mismatch_names_the_first_three_files_of_each_kind_and_counts_the_rest()
    {
        var many = Enumerable.Range(1, 5).Select(i => ($"price_full_file_store{i}.csv", "chainid\n1\n")).ToArray();
        _kaggle.Listing = [.. Listed(Files()), .. Listed(many)];

        var result = await RunAsync("download", "--date", Day);

        AssertRefused(result, "5 listed files missing from the zip (price_full_file_store1.csv, price_full_file_store2.csv, price_full_file_store3.csv and 2 more)");
    }

    [Fact]
    public async Task A_listed_file_without_a_size_is_compared_by_name_only()
    {
        var listing = Listed(Files());
        _kaggle.Listing = [(listing[0].Name, null), .. listing.Skip(1)];

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Files()[0].Content, File.ReadAllText(Path.Combine(_root, "raw", Day, Files()[0].Name)));
    }

    [Fact]
    public async Task A_file_in_a_folder_that_kaggle_leaves_out_of_its_listing_is_kept()
    {
        _kaggle.Listing = Listed(Files().Where(f => !f.Name.Contains('/', StringComparison.Ordinal)));

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(Path.Combine(_root, "raw", Day, "stores", "store_file_victory.csv")));
        Assert.Equal(0, (await RunAsync("verify", Day)).ExitCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_empty_zip_is_refused_even_when_kaggle_lists_no_files(bool listsFiles)
    {
        _kaggle.Listing = listsFiles ? Listed(Files()) : [];
        _kaggle.Zip = FakeKaggleServer.CreateZip([]);

        var result = await RunAsync("download", "--date", Day);

        AssertRefused(result, ": it holds no files; nothing was published");
    }

    [Fact]
    public async Task A_dataset_file_named_like_the_manifest_is_refused_not_overwritten()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([.. Files(), ("download_manifest.json", "{\"note\":\"a file of the dataset\"}")]);

        var result = await RunAsync("download", "--date", Day);

        AssertRefused(result, "entry 'download_manifest.json' collides with the manifest that download writes at the day's top level (download_manifest.json); nothing was extracted");
    }

    [Fact]
    public async Task A_manifest_named_file_inside_a_folder_is_an_ordinary_file()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([.. Files(), ("stores/download_manifest.json", "{}")]);

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{}", File.ReadAllText(Path.Combine(_root, "raw", Day, "stores", "download_manifest.json")));
    }

    [Theory]
    [InlineData(true, new byte[] { 0x70, 0x72, 0x69, 0x63, 0x65, 0x5F, 0xE0, 0x2E, 0x63, 0x73, 0x76 }, @"price_\xE0.csv", "though flagged as UTF-8")]
    [InlineData(false, new byte[] { 0xF9, 0xE5, 0xF4, 0xF8, 0xF1, 0xEC, 0x2E, 0x63, 0x73, 0x76 }, @"\xF9\xE5\xF4\xF8\xF1\xEC.csv", "not flagged as UTF-8")]
    public async Task A_zip_entry_whose_name_is_not_utf8_is_refused_with_its_bytes_escaped(bool flagged, byte[] name, string escaped, string why)
    {
        // The second case is "שופרסל.csv" in cp1255, as an old Windows zip tool writes it.
        _kaggle.Zip = RawZip.Build(
            (Encoding.UTF8.GetBytes(Files()[1].Name), true, Encoding.UTF8.GetBytes(Files()[1].Content)),
            (name, flagged, Encoding.UTF8.GetBytes("chainid,storeid\n1,1\n")));

        var result = await RunAsync("download", "--date", Day);

        AssertRefused(result, $"entry '{escaped}' has a name that is not valid UTF-8 ({why}");
    }

    [Fact]
    public async Task A_utf8_name_without_the_utf8_flag_is_read_as_utf8()
    {
        const string name = "שופרסל.csv";
        _kaggle.Zip = RawZip.Build((Encoding.UTF8.GetBytes(name), false, Encoding.UTF8.GetBytes("chainid,storeid\n1,1\n")));

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("chainid,storeid\n1,1\n", File.ReadAllText(Path.Combine(_root, "raw", Day, name)));
    }

    /// <summary>What the API lists for these files: each with its size in bytes.</summary>
    private static List<(string Name, long? Size)> Listed(IEnumerable<(string Name, string Content)> files) =>
        [.. files.Select(f => (f.Name, (long?)Encoding.UTF8.GetByteCount(f.Content)))];

    /// <summary>
    /// A refused download: exit 1 with one line that says why, nothing under raw/, staging clean, no unchanged check
    /// recorded, and the zip not kept for resuming (the next run fetches it afresh).
    /// </summary>
    private void AssertRefused(ToolResult result, string expected)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Matches(@"^error: [^\n]+\n$", result.StdErr);
        Assert.Contains(expected, result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)), "nothing may be published");
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")));
        Assert.False(File.Exists(Path.Combine(_root, "metadata", "downloads", Day + ".json")));
        Assert.Empty(Directory.Exists(Path.Combine(_root, ".partial")) ? Directory.GetFiles(Path.Combine(_root, ".partial"), "*.zip") : []);
    }

    [Fact]
    public async Task The_dry_run_is_the_plan_and_says_unchanged_without_recording_anything()
    {
        Assert.Equal(0, (await RunAsync("download", "--date", "20241025")).ExitCode);
        var before = Shell.HashTree(_root);

        var text = await RunAsync("download", "--date", Day, "--dry-run");
        var json = await RunAsync("download", "--date", Day, "--dry-run", "--json");
        var forced = await RunAsync("download", "--date", Day, "--dry-run", "--force", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Contains("unchanged since 20241025 (version 7); nothing would be downloaded", text.StdOut, StringComparison.Ordinal);
        using (var plan = JsonDocument.Parse(json.StdOut))
        {
            Assert.Equal("unchanged", plan.RootElement.GetProperty("action").GetString());
            Assert.Equal("20241025", plan.RootElement.GetProperty("unchangedSince").GetString());
        }

        using (var plan = JsonDocument.Parse(forced.StdOut))
        {
            Assert.Equal("download", plan.RootElement.GetProperty("action").GetString());
        }

        Assert.Equal(before, Shell.HashTree(_root));
        Assert.Equal(1, _kaggle.DownloadRequests);
    }

    [Fact]
    public async Task An_unchanged_dataset_is_not_downloaded_again_and_the_day_counts_as_covered()
    {
        var first = await RunAsync("download", "--date", "20241025");
        var second = await RunAsync("download", "--date", Day);
        var requestsAfterSecond = _kaggle.DownloadRequests;
        var status = await RunAsync("status", "--json");
        _kaggle.Version = 8;
        var third = await RunAsync("download", "--date", "20241027");

        Assert.True(first.ExitCode == 0 && second.ExitCode == 0, first + "\n" + second);
        Assert.Contains("unchanged since 20241025 (version 7)", second.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, requestsAfterSecond);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
        using (var check = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, "metadata", "downloads", Day + ".json"))))
        {
            Assert.Equal("20241025", check.RootElement.GetProperty("unchangedSince").GetString());
            Assert.Equal("7", check.RootElement.GetProperty("datasetVersion").GetString());
        }

        using (var document = JsonDocument.Parse(status.StdOut))
        {
            Assert.DoesNotContain(document.RootElement.GetProperty("missingDays").EnumerateArray(), day => day.GetString() == Day);
        }

        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.True(Directory.Exists(Path.Combine(_root, "raw", "20241027")), "a new version must be downloaded");
    }

    [Fact]
    public async Task A_download_that_does_not_fit_the_volume_is_refused_before_writing()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([("price_full_file_big.csv", new string('1', 6 << 20))]);
        using var volume = SmallVolume.MountUnlessUnprivileged(_temp.Combine("small"), 4);
        if (volume is null)
        {
            return;
        }

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(Path.Combine(volume.Path, "store"));
        var result = await ToolProcess.RunAsync(
            ["--root", Path.Combine(volume.Path, "store"), "download", "--date", Day],
            new Dictionary<string, string?>
            {
                ["KaggleStorage__Kaggle__ApiBaseAddress"] = _kaggle.ApiBaseAddress.ToString(),
                ["KaggleStorage__Kaggle__RpcBaseAddress"] = _kaggle.RpcBaseAddress.ToString(),
                ["KAGGLE_USERNAME"] = FakeKaggleServer.Username,
                ["KAGGLE_KEY"] = FakeKaggleServer.Key,
                ["HOME"] = _temp.Combine("home"),
            });
        _runs.Add(result);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^error: Downloading .* needs \d+ bytes .* but only \d+ .* are free; nothing was written\.", result.StdErr);
        Assert.Equal(0, _kaggle.DownloadRequests);
    }

    [Fact]
    public async Task A_transfer_cut_halfway_resumes_with_range_and_if_range_from_where_it_stopped()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([("price_full_file_big.csv", string.Concat(Enumerable.Range(0, 40_000).Select(i => $"7290027600007,{i},{i * 7 % 1000}.90\n")))]);
        _kaggle.SendStorageMd5 = true;
        _kaggle.Mode = FakeKaggleMode.CutOnce;

        var result = await RunAsync("download", "--date", Day);
        var ranges = _kaggle.StorageRanges.ToList();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, ranges.Count);
        Assert.Equal(string.Empty, ranges[0]);
        var resumedFrom = long.Parse(System.Text.RegularExpressions.Regex.Match(ranges[1], @"^bytes=(\d+)-$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(resumedFrom, 1, _kaggle.Zip.Length / 2);
        Assert.Equal(2, _kaggle.DownloadRequests);
        Assert.True(File.Exists(Path.Combine(_root, "raw", Day, "price_full_file_big.csv")));
    }

    [Fact]
    public async Task A_transfer_cut_on_one_night_resumes_on_the_next_run_from_the_kept_partial_zip()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([("price_full_file_big.csv", string.Concat(Enumerable.Range(0, 40_000).Select(i => $"7290027600007,{i},{i * 7 % 1000}.90\n")))]);
        _kaggle.Mode = FakeKaggleMode.CutOnce;
        var noRetries = new Dictionary<string, string?> { ["KaggleStorage__Kaggle__MaxRetries"] = "0" };

        var night1 = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, noRetries);
        var kept = Directory.GetFiles(Path.Combine(_root, ".partial"), "*.zip").Single();
        var keptBytes = new FileInfo(kept).Length;
        var night2 = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, noRetries);
        var ranges = _kaggle.StorageRanges.ToList();

        Assert.Equal(1, night1.ExitCode);
        Assert.InRange(keptBytes, 1, _kaggle.Zip.Length / 2);
        Assert.True(night2.ExitCode == 0, night2.ToString());
        Assert.Equal($"bytes={keptBytes}-", ranges[^1]);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".partial")));
        Assert.True(File.Exists(Path.Combine(_root, "raw", Day, "price_full_file_big.csv")));
    }

    [Fact]
    public async Task A_flipped_byte_inside_an_entry_fails_its_crc_and_publishes_nothing()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip(Files(), System.IO.Compression.CompressionLevel.NoCompression);
        _kaggle.FlipServedByteAt = IndexOf(_kaggle.Zip, "לחם"u8.ToArray());

        var result = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is corrupt at entry 'price_full_file_shufersal.csv'", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("CRC-32", result.StdErr, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Path.Combine(_root, ".partial")));
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
        Assert.False(Directory.Exists(Path.Combine(_root, ".staging")) && Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".staging")).Any());
    }

    [Fact]
    public async Task A_zip_that_does_not_match_the_storage_md5_is_discarded()
    {
        _kaggle.SendStorageMd5 = true;
        _kaggle.FlipServedByteAt = _kaggle.Zip.Length - 30;

        var result = await RunAsync("download", "--date", Day);
        _kaggle.FlipServedByteAt = null;
        var clean = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("x-goog-hash", result.StdErr, StringComparison.Ordinal);
        Assert.True(clean.ExitCode == 0, clean.ToString());
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) is var at and >= 0
        ? at
        : throw new InvalidOperationException("marker not found in the zip");

    [Fact]
    public async Task Missing_credentials_are_bad_input_that_says_where_they_are_looked_for()
    {
        var result = await RunAsync(["download", "--date", Day], key: null);

        Assert.Equal(2, result.ExitCode);
        foreach (var place in new[]
        {
            "KAGGLE_API_TOKEN",
            Path.Combine(_temp.Path, "home", ".kaggle", "access_token"),
            Path.Combine(_temp.Path, "home", ".kaggle", "access_token.txt"),
            "KAGGLE_USERNAME/KAGGLE_KEY",
            Path.Combine(_temp.Path, "home", ".kaggle", "kaggle.json"),
            Path.Combine(_temp.Path, "home", ".config", "kaggle", "kaggle.json"),
        })
        {
            Assert.Contains(place, result.StdErr, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task An_api_token_is_sent_as_bearer_and_wins_over_the_legacy_key()
    {
        _kaggle.AcceptLegacyKey = false;

        var result = await RunAsync(["download", "--date", Day], key: "wrong-legacy-key", extra: new() { ["KAGGLE_API_TOKEN"] = FakeKaggleServer.Token });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain(FakeKaggleServer.Token, result.StdOut + result.StdErr, StringComparison.Ordinal);
        Assert.Empty(_kaggle.CredentialsSentToStorage);
        Assert.NotEmpty(_kaggle.UserAgents);
        Assert.All(_kaggle.UserAgents, agent => Assert.StartsWith("kaggle-storage/", agent, StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_access_token_file_in_the_kaggle_folder_is_used()
    {
        var folder = _temp.Combine("home", ".kaggle");
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, "access_token"), FakeKaggleServer.Token + "\n");

        var result = await RunAsync(["download", "--date", Day], key: null);

        Assert.True(result.ExitCode == 0, result.ToString());
    }

    [Fact]
    public async Task Forbidden_says_the_rules_must_be_accepted_and_quotes_kaggle()
    {
        _kaggle.Mode = FakeKaggleMode.RulesNotAccepted;

        var result = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("HTTP 403", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("accept this dataset's rules", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("rules were not accepted on kaggle.com", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
    }

    [Fact]
    public async Task A_stalled_transfer_fails_after_the_stall_timeout_not_the_overall_one()
    {
        _kaggle.Mode = FakeKaggleMode.StallHalfway;

        // The fake storage holds the stalled transfer for 30 s; the overall timeout is far longer. Which of the
        // timeouts ended the run is in the message, so no stopwatch is needed.
        var result = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, extra: new()
        {
            ["KaggleStorage__Kaggle__StallTimeout"] = "00:00:01",
            ["KaggleStorage__Kaggle__Timeout"] = "01:00:00",
        });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("stalled: no data for 00:00:01", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("did not finish within", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", Day)));
    }

    [Fact]
    public async Task Kaggle_json_in_the_config_dir_is_used_and_a_readable_one_is_warned_about()
    {
        var config = _temp.Combine("config");
        Directory.CreateDirectory(config);
        var file = Path.Combine(config, "kaggle.json");
        File.WriteAllText(file, $"{{\"username\":\"{FakeKaggleServer.Username}\",\"key\":\"{FakeKaggleServer.Key}\"}}");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        var result = await RunAsync(["download", "--date", Day], key: null, extra: new() { ["KAGGLE_CONFIG_DIR"] = config });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"warning: {file} is readable by group or others", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_account_with_only_api_tokens_refuses_the_legacy_key_with_a_clear_401()
    {
        _kaggle.AcceptLegacyKey = false;

        var result = await RunAsync("download", "--date", Day);

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(@"^error: Kaggle rejected the credentials \(ci-bot \(from KAGGLE_USERNAME/KAGGLE_KEY\)\) with HTTP 401 \(Kaggle said: Unauthenticated\); check the token or key\.\n$", result.StdErr);
    }

    [Fact]
    public async Task The_rpc_api_is_preferred_and_asked_with_the_dataset_in_its_json_body()
    {
        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["rpc:GetDataset", "rpc:ListDatasetFiles", "rpc:ListDatasetFiles", "rpc:DownloadDataset"], _kaggle.ApiCalls.ToArray());
        Assert.Equal(["download attempt 1 version=7"], _kaggle.Log.ToArray());
        Assert.Empty(_kaggle.CredentialsSentToStorage);
    }

    [Fact]
    public async Task Without_the_rpc_api_the_rest_api_is_used_and_the_fallback_is_logged_once()
    {
        _kaggle.RpcAvailable = false;

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(["rest:view", "rest:list", "rest:list", "rest:download"], _kaggle.ApiCalls.ToArray());
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(result.StdErr, "RPC API at .* is not available \\(HTTP 404\\); using the REST API"));
        Assert.True(File.Exists(Path.Combine(_root, "raw", Day, "download_manifest.json")));
    }

    [Theory]
    [InlineData("Rest", "rest:download")]
    [InlineData("Rpc", "rpc:DownloadDataset")]
    public async Task A_pinned_protocol_uses_only_that_api(string protocol, string downloadCall)
    {
        var result = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, extra: new() { ["KaggleStorage__Kaggle__Protocol"] = protocol });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(downloadCall, _kaggle.ApiCalls.Last());
        Assert.NotEmpty(_kaggle.ApiCalls);
        Assert.All(_kaggle.ApiCalls, call => Assert.StartsWith(downloadCall[..4], call, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_pinned_rpc_api_that_is_missing_is_an_error_not_a_silent_fallback()
    {
        _kaggle.RpcAvailable = false;

        var result = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, extra: new() { ["KaggleStorage__Kaggle__Protocol"] = "Rpc" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("was not found (HTTP 404)", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain(_kaggle.ApiCalls, call => call.StartsWith("rest:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_expired_signed_url_is_replaced_by_a_fresh_one_from_the_api()
    {
        _kaggle.Mode = FakeKaggleMode.ExpiredSignatureOnce;

        var result = await RunAsync("download", "--verbose", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, _kaggle.DownloadRequests);
        Assert.Equal(["expired", string.Empty], _kaggle.StorageRanges.ToArray());
        Assert.Contains("refused the signed download URL with HTTP 400 (ExpiredToken: Invalid argument.)", result.StdErr, StringComparison.Ordinal);
        Assert.Equal(Files()[0].Content, File.ReadAllText(Path.Combine(_root, "raw", Day, Files()[0].Name)));
    }

    [Fact]
    public async Task A_storage_refusal_is_reported_as_the_storage_s_not_as_kaggle_s_and_hides_the_signed_url()
    {
        _kaggle.Mode = FakeKaggleMode.ExpiredSignatureOnce;

        var result = await RunAsync(["--verbose", "download", "--date", Day], FakeKaggleServer.Key, extra: new() { ["KaggleStorage__Kaggle__MaxRetries"] = "0" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(
            $"The download of {FakeKaggleServer.Owner}/{FakeKaggleServer.Slug} failed after 1 attempt, 0 bytes in: the storage at {_kaggle.StorageBaseAddress.GetLeftPart(UriPartial.Authority)} refused the signed download URL with HTTP 400 (ExpiredToken: Invalid argument.)",
            result.StdErr,
            StringComparison.Ordinal);
        Assert.DoesNotContain("Kaggle answered", result.StdErr, StringComparison.Ordinal);
        Assert.DoesNotContain("X-Goog-Signature", result.StdOut + result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(FakeKaggleMode.AlwaysTooManyRequestsFlat)]
    [InlineData(FakeKaggleMode.AlwaysTooManyRequestsNested)]
    public async Task Rate_limiting_is_retried_after_the_servers_delay_then_reported_with_its_message(FakeKaggleMode mode)
    {
        _kaggle.Mode = mode;

        // The fake answers a retry that comes before its Retry-After with another error (HTTP 400), so the message
        // below, the 429 one, shows the wait was honoured.
        var result = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, extra: new() { ["KaggleStorage__Kaggle__MaxRetries"] = "1" });

        Assert.Equal(1, result.ExitCode);
        Assert.Matches(
            @"^error: Kaggle kept answering HTTP 429 \(too many requests\) \(Kaggle said: Rate limit exceeded for datasets\.DatasetApiService\.\), asking to wait 1 s; try again later\.\n$",
            result.StdErr);
        Assert.Equal(2, _kaggle.ApiCalls.Count);
    }

    [Fact]
    public async Task On_a_terminal_progress_shows_bytes_rate_and_time_left_on_one_line()
    {
        _kaggle.Zip = FakeKaggleServer.CreateZip([("price_full_file_big.csv", Convert.ToHexString(RandomNumberGenerator.GetBytes(150_000)))]);
        _kaggle.StorageBytesPerSecond = 200_000;
        var environment = string.Join(' ', new[]
        {
            $"KaggleStorage__Kaggle__ApiBaseAddress={_kaggle.ApiBaseAddress}",
            $"KaggleStorage__Kaggle__RpcBaseAddress={_kaggle.RpcBaseAddress}",
            $"KAGGLE_USERNAME={FakeKaggleServer.Username}",
            $"KAGGLE_KEY={FakeKaggleServer.Key}",
            $"HOME={_temp.Combine("home")}",
        });

        var run = await Shell.RunAsync("script", "-qec", $"env {environment} dotnet '{ToolProcess.DllPath}' --root '{_root}' download --date {Day}", "/dev/null");
        _runs.Add(run);

        Assert.True(run.ExitCode == 0, run.ToString());
        var frames = run.StdOut.Split('\r', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains(frames, frame => System.Text.RegularExpressions.Regex.IsMatch(
            frame, @"^\[#*\.*\] [\d.]+ KiB of [\d.]+ KiB, [\d.]+ KiB/s, \d+s left$"));
        Assert.Matches(@"Downloaded .* into .*: 1 file, ", frames[^1]);
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_limit_fails_at_once_with_the_servers_wish()
    {
        _kaggle.Mode = FakeKaggleMode.AlwaysTooManyRequestsFlat;
        _kaggle.RetryAfterSeconds = 3600;

        var result = await RunAsync(["download", "--date", Day], FakeKaggleServer.Key, extra: new() { ["KaggleStorage__Kaggle__MaxRetryAfter"] = "00:00:30" });

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("HTTP 429", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("asking to wait 3600 s", result.StdErr, StringComparison.Ordinal);
        // One call and the server's wish in the message: the client gave up at once instead of waiting an hour
        // (a wait would end in the test's timeout, not in this answer).
        Assert.Single(_kaggle.ApiCalls);
    }

    [Fact]
    public async Task A_partial_that_is_already_whole_is_finished_from_the_storages_416_without_fetching_again()
    {
        var zip = await KeepPartialAsync(_kaggle.Zip, _kaggle.ETag);

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([$"bytes={_kaggle.Zip.Length}-"], _kaggle.StorageRanges.ToArray());
        Assert.Equal(Files()[0].Content, File.ReadAllText(Path.Combine(_root, "raw", Day, Files()[0].Name)));
        Assert.False(File.Exists(zip), "the partial is deleted once the day is published");
    }

    [Theory]
    [InlineData("\"unterminated")]
    [InlineData("not a date nor a tag")]
    public async Task A_damaged_validator_starts_the_transfer_over_instead_of_failing(string validator)
    {
        await KeepPartialAsync(_kaggle.Zip.AsSpan(0, _kaggle.Zip.Length / 2).ToArray(), validator);

        var result = await RunAsync("download", "--date", Day);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal([string.Empty], _kaggle.StorageRanges.ToArray());
        Assert.Equal(Files()[0].Content, File.ReadAllText(Path.Combine(_root, "raw", Day, Files()[0].Name)));
    }

    /// <summary>Leaves a partial zip of version 7 with its validator, as a run cut off the night before would.</summary>
    private async Task<string> KeepPartialAsync(byte[] bytes, string validator)
    {
        var partial = Path.Combine(_root, ".partial");
        Directory.CreateDirectory(partial);
        var zip = Path.Combine(partial, $"{FakeKaggleServer.Owner}_{FakeKaggleServer.Slug}-v7.zip");
        await File.WriteAllBytesAsync(zip, bytes);
        await File.WriteAllTextAsync(zip + ".validator", validator);
        return zip;
    }

    private Task<ToolResult> RunAsync(params string[] arguments) => RunAsync(arguments, FakeKaggleServer.Key);

    private async Task<ToolResult> RunAsync(string[] arguments, string? key, Dictionary<string, string?>? extra = null)
    {
        var environment = new Dictionary<string, string?>
        {
            ["KaggleStorage__Kaggle__ApiBaseAddress"] = _kaggle.ApiBaseAddress.ToString(),
            ["KaggleStorage__Kaggle__RpcBaseAddress"] = _kaggle.RpcBaseAddress.ToString(),
            ["KaggleStorage__Kaggle__RetryBaseDelay"] = "00:00:00.050",
            ["HOME"] = _temp.Combine("home"),
        };
        if (key is not null)
        {
            environment["KAGGLE_USERNAME"] = FakeKaggleServer.Username;
            environment["KAGGLE_KEY"] = key;
        }

        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        var result = await ToolProcess.RunAsync(["--root", _root, .. arguments], environment);
        _runs.Add(result);
        return result;
    }
}
