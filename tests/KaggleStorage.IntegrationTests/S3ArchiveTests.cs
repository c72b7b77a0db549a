using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// The tool with <c>KaggleStorage:Archive:Store=s3</c> against a real S3-compatible server on loopback (s3rver),
/// end to end: archive, verify, status, restore and prune work against the bucket, and nothing of the archive is
/// left on the volume.
/// </summary>
public sealed class S3ArchiveTests : IClassFixture<S3Endpoint>, IAsyncLifetime, IDisposable
{
    private readonly S3Endpoint _s3;
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _day;
    private string _bucket = null!;
    private string _prefix = null!;

    public S3ArchiveTests(S3Endpoint s3)
    {
        _s3 = s3;
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
        _day = DateTime.UtcNow.AddDays(-10).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
    }

    public async Task InitializeAsync()
    {
        (_bucket, _prefix) = await _s3.CreateBucketAsync();

        // CSV compresses too well to fill two 5 MiB parts, so the processed day holds random text as well: the
        // upload then really is multipart.
        await SampleStore.WriteRawDayAsync(_root, _day, 4 << 20);
        SampleStore.WriteProcessedDay(_root, _day);
        var noise = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(6 << 20));
        await File.WriteAllTextAsync(Path.Combine(_root, "processed", _day, "noise.csv"), "n\n" + noise + "\n");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Archive_goes_to_the_bucket_as_a_gnu_tar_readable_object_and_nothing_stays_on_the_volume()
    {
        var archive = await RunAsync("archive", _day, "--json");

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Equal([$"{_prefix}{_day}.tar.gz", $"{_prefix}{_day}.tar.gz.index.json"], await _s3.ListKeysAsync(_bucket, _prefix));
        Assert.DoesNotContain(
            Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories),
            path => path.Contains("/archive/", StringComparison.Ordinal) || path.Contains("/.staging/", StringComparison.Ordinal) || path.Contains(".tar.gz", StringComparison.Ordinal));
        using (var result = JsonDocument.Parse(archive.StdOut))
        {
            Assert.Equal($"s3://{_bucket}/{_prefix}{_day}.tar.gz", result.RootElement.GetProperty("outcomes")[0].GetProperty("archiveLocation").GetString());
        }

        // The object is the same deterministic tar.gz as on disk: `aws s3 cp` and GNU tar read it by hand.
        var copy = _temp.Combine("copy.tar.gz");
        await File.WriteAllBytesAsync(copy, await _s3.GetAsync(_bucket, $"{_prefix}{_day}.tar.gz"));
        var extracted = _temp.Combine("extracted");
        Directory.CreateDirectory(extracted);
        var tar = await Shell.RunAsync("tar", "xzf", copy, "-C", extracted);
        Assert.True(tar.ExitCode == 0, tar.ToString());
        Assert.Equal(Shell.HashTree(Path.Combine(_root, "raw", _day)), Shell.HashTree(Path.Combine(extracted, "raw", _day)));

        // The same day archived again is identical: nothing is uploaded over it.
        var again = await RunAsync("archive", _day, "--json");
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("\"identical\"", again.StdOut, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Verify_status_and_restore_read_from_the_bucket()
    {
        Assert.Equal(0, (await RunAsync("archive", _day)).ExitCode);

        var verify = await RunAsync("verify", _day);
        var status = await RunAsync("status", "--json");
        var elsewhere = _temp.Combine("restored");
        var restore = await RunAsync("restore", _day, "--into", elsewhere);

        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var document = JsonDocument.Parse(status.StdOut))
        {
            Assert.Equal("s3", document.RootElement.GetProperty("archiveStore").GetString());
            Assert.Equal($"s3://{_bucket}/{_prefix}", document.RootElement.GetProperty("archiveLocation").GetString());
            var day = document.RootElement.GetProperty("partitions").EnumerateArray().Single(p => p.GetProperty("date").GetString() == _day);
            Assert.True(day.GetProperty("archived").GetBoolean());
            Assert.True(day.GetProperty("archiveBytes").GetInt64() > 5 << 20);
        }

        Assert.True(restore.ExitCode == 0, restore.ToString());
        Assert.Equal(Shell.HashTree(Path.Combine(_root, "raw", _day)), Shell.HashTree(Path.Combine(elsewhere, "raw", _day)));
        Assert.Equal(Shell.HashTree(Path.Combine(_root, "processed", _day)), Shell.HashTree(Path.Combine(elsewhere, "processed", _day)));
    }

    [Fact]
    public async Task A_tampered_object_fails_verify_and_is_never_restored()
    {
        Assert.Equal(0, (await RunAsync("archive", _day)).ExitCode);
        var key = $"{_prefix}{_day}.tar.gz";
        var bytes = await _s3.GetAsync(_bucket, key);
        bytes[bytes.Length / 2] ^= 0x40;
        await _s3.PutAsync(_bucket, key, bytes);

        var verify = await RunAsync("verify", _day);
        var elsewhere = _temp.Combine("restored");
        var restore = await RunAsync("restore", _day, "--into", elsewhere);

        Assert.Equal(1, verify.ExitCode);
        Assert.Contains($"s3://{_bucket}/{key}", verify.StdOut + verify.StdErr, StringComparison.Ordinal);
        Assert.NotEqual(0, restore.ExitCode);
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "raw")), "nothing of a damaged archive may be restored");
    }

    [Fact]
    public async Task Prune_archives_into_the_bucket_verifies_then_deletes_the_raw_day_and_expires_old_objects()
    {
        var old = DateTime.UtcNow.AddDays(-400).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        var oldKey = $"{_prefix}{old}.tar.gz";
        await _s3.PutAsync(_bucket, oldKey, [0x1f, 0x8b]);
        await _s3.PutAsync(_bucket, oldKey + ".index.json", "{}"u8.ToArray());
        var environment = new Dictionary<string, string?> { ["KaggleStorage__Retention__RawDays"] = "5", ["KaggleStorage__Retention__ProcessedDays"] = "5", ["KaggleStorage__Retention__KeepLast"] = "0" };

        var prune = await RunAsync(["prune"], environment);

        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", _day)), "the raw day past retention is deleted once its archive verified");
        Assert.False(Directory.Exists(Path.Combine(_root, "processed", _day)));
        Assert.Equal([$"{_prefix}{_day}.tar.gz", $"{_prefix}{_day}.tar.gz.index.json"], await _s3.ListKeysAsync(_bucket, _prefix));
        Assert.Equal(0, (await RunAsync("verify", _day)).ExitCode);
    }

    [Fact]
    public async Task Prune_keeps_a_raw_day_whose_archive_object_does_not_verify()
    {
        Assert.Equal(0, (await RunAsync("archive", _day)).ExitCode);
        var key = $"{_prefix}{_day}.tar.gz";
        var bytes = await _s3.GetAsync(_bucket, key);
        bytes[^20] ^= 0x01;
        await _s3.PutAsync(_bucket, key, bytes);
        var environment = new Dictionary<string, string?> { ["KaggleStorage__Retention__RawDays"] = "5", ["KaggleStorage__Retention__ProcessedDays"] = "5", ["KaggleStorage__Retention__KeepLast"] = "0" };

        var prune = await RunAsync(["prune"], environment);

        Assert.Equal(1, prune.ExitCode);
        Assert.True(Directory.Exists(Path.Combine(_root, "raw", _day)), "a raw day is never deleted unless its archive object verified in the same run");
        Assert.Contains("did not verify", prune.StdOut + prune.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_aws_credentials_the_tool_says_so_in_one_line_and_exits_2()
    {
        var environment = new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = _temp.Combine("none", "credentials"),
            ["AWS_CONFIG_FILE"] = _temp.Combine("none", "config"),
        };
        if (_s3.IsReal)
        {
            return;
        }

        var archive = await RunAsync(["archive", _day], environment);

        Assert.Equal(2, archive.ExitCode);
        Assert.Matches(@"^error: No AWS credentials were found for the S3 archive store s3://[^ ]+: set AWS_ACCESS_KEY_ID", archive.StdErr);
        Assert.Single(archive.StdErr.Trim().Split('\n'));
        Assert.Empty(await _s3.ListKeysAsync(_bucket, _prefix));
    }

    [Fact]
    public async Task A_missing_bucket_setting_is_bad_configuration()
    {
        var archive = await RunAsync(["archive", _day], new() { ["KaggleStorage__Archive__S3__Bucket"] = string.Empty });

        Assert.Equal(2, archive.ExitCode);
        Assert.Contains("KaggleStorage:Archive:S3:Bucket is required when KaggleStorage:Archive:Store is s3", archive.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_archive_never_leaves_a_broken_object_under_its_final_key_and_a_rerun_cleans_up()
    {
        var days = new[] { _day, DateTime.UtcNow.AddDays(-11).ToString("yyyyMMdd", CultureInfo.InvariantCulture) };
        await SampleStore.WriteRawDayAsync(_root, days[1], 8 << 20, seed: 2);
        // The upload's staging is in the bucket, out of sight; the tool's own lines say where it is: mid-upload of
        // a day, between days (one created), and mid-upload of the day a re-run still has to write.
        var moments = new Func<string, bool>[]
        {
            output => output.Contains("progress: ", StringComparison.Ordinal),
            output => output.Contains(": created ", StringComparison.Ordinal) || output.Contains(": replaced ", StringComparison.Ordinal),
            output => output.Contains("progress: ", StringComparison.Ordinal),
        };
        var environment = new Dictionary<string, string?>(_s3.ToolEnvironment(_bucket, _prefix, _temp.Combine("home")))
        {
            ["KAGGLE_STORAGE_PROGRESS_SECONDS"] = "0.01",
        };
        for (var trial = 0; trial < moments.Length; trial++)
        {
            using var process = System.Diagnostics.Process.Start(ToolProcess.CreateStartInfo(["--root", _root, "archive", "--all", "--force"], environment))!;
            var output = CrashTiming.Watch(process);
            var moment = moments[trial];
            Assert.True(await CrashTiming.KillWhenAsync(process, () => moment(output.Text)), $"trial {trial}: the archive finished before its moment came:\n{output.Text}");

            // Whatever is under a final key is whole: it verifies. Unless the kill fell between publishing the
            // archive and its index: the pending index beside them says so, and the next archive repairs the pair
            // (checked by the re-run below).
            var keys = await _s3.ListKeysAsync(_bucket, _prefix);
            foreach (var day in days.Where(day => keys.Contains($"{_prefix}{day}.tar.gz") && !keys.Contains($"{_prefix}{day}.tar.gz.index.json.next")))
            {
                var verify = await RunAsync("verify", day);
                Assert.True(verify.ExitCode == 0, $"trial {trial}: {verify}");
            }
        }

        var rerun = await RunAsync("archive", "--all");
        var verifyAll = await RunAsync("verify");

        Assert.True(rerun.ExitCode == 0, rerun.ToString());
        Assert.True(verifyAll.ExitCode == 0, verifyAll.ToString());
        Assert.Empty(await _s3.ListUploadsAsync(_bucket, _prefix));
        Assert.Equal(
            days.Order(StringComparer.Ordinal).SelectMany(day => new[] { $"{_prefix}{day}.tar.gz", $"{_prefix}{day}.tar.gz.index.json" }),
            await _s3.ListKeysAsync(_bucket, _prefix));
    }

    [Fact]
    public async Task A_bucket_that_does_not_exist_is_one_clear_line()
    {
        var status = await RunAsync(["status"], new() { ["KaggleStorage__Archive__S3__Bucket"] = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8] });

        Assert.Equal(1, status.ExitCode);
        Assert.Matches($@"^error: S3 answered HTTP 404 NoSuchBucket while listing s3://no-such-bucket-\w+/{Regex.Escape(_prefix)}: the bucket does not exist( \(.+\))?\.?$", status.StdErr.TrimEnd());
        Assert.Single(status.StdErr.Trim().Split('\n'));
    }

    [Fact]
    public async Task Restore_and_verify_from_a_bucket_that_does_not_exist_say_so_and_exit_1()
    {
        var missing = new Dictionary<string, string?> { ["KaggleStorage__Archive__S3__Bucket"] = "no-such-bucket-" + Guid.NewGuid().ToString("N")[..8] };
        var elsewhere = _temp.Combine("restored");

        var restore = await RunAsync(["restore", _day, "--into", elsewhere], missing);
        var verify = await RunAsync(["verify", _day], missing);

        foreach (var result in new[] { restore, verify })
        {
            Assert.True(result.ExitCode == 1, result.ToString());
            Assert.Matches(@"^error: S3 answered HTTP 404 NoSuchBucket while listing s3://no-such-bucket-\w+/.*: the bucket does not exist", result.StdErr);
            Assert.Single(result.StdErr.Trim().Split('\n'));
        }

        Assert.False(Directory.Exists(Path.Combine(elsewhere, "raw")));
    }

    private Task<ToolResult> RunAsync(params string[] arguments) => RunAsync(arguments, null);

    private async Task<ToolResult> RunAsync(string[] arguments, Dictionary<string, string?>? extra)
    {
        var environment = _s3.ToolEnvironment(_bucket, _prefix, _temp.Combine("home"));
        foreach (var (name, value) in extra ?? [])
        {
            environment[name] = value;
        }

        return await ToolProcess.RunAsync(["--root", _root, .. arguments], environment);
    }
}
