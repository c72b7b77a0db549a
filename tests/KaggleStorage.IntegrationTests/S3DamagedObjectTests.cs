using System.Globalization;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// One object damaged in the bucket (its bytes no longer match the checksum the server stored) among good ones:
/// verify and prune name that object, still handle every other day, and exit 1.
/// </summary>
public sealed class S3DamagedObjectTests : IClassFixture<S3Endpoint>, IAsyncLifetime, IDisposable
{
    private readonly S3Endpoint _s3;
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _good = DaysAgo(10);
    private readonly string _damagedArchive = DaysAgo(11);
    private readonly string _damagedIndex = DaysAgo(12);
    private string _bucket = null!;
    private string _prefix = null!;

    public S3DamagedObjectTests(S3Endpoint s3)
    {
        _s3 = s3;
        _root = _temp.Combine("store");
    }

    private string[] Days => [_damagedIndex, _damagedArchive, _good];

    /// <summary>
    /// Damages the archive in its gzip header's modification time, which no gzip or tar reader checks: the whole
    /// object is read as a valid archive, and only the checksum the server stored tells the bytes changed.
    /// </summary>
    private bool DamageArchive() => _s3.DamageStoredObject(_bucket, $"{_prefix}{_damagedArchive}.tar.gz", offset: 4);

    public async Task InitializeAsync()
    {
        (_bucket, _prefix) = await _s3.CreateBucketAsync();
        foreach (var (day, seed) in Days.Select((day, i) => (day, i + 1)))
        {
            await SampleStore.WriteRawDayAsync(_root, day, 48 << 10, seed);
        }

        var archive = await RunAsync("archive", "--all");
        Assert.True(archive.ExitCode == 0, archive.ToString());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Verify_names_the_damaged_archive_and_index_objects_and_still_checks_every_other_day()
    {
        if (!DamageArchive()
            || !_s3.DamageStoredObject(_bucket, $"{_prefix}{_damagedIndex}.tar.gz.index.json"))
        {
            return;
        }

        var verify = await RunAsync("verify");

        Assert.True(verify.ExitCode == 1, verify.ToString());
        Assert.True(verify.StdErr.Length == 0, verify.ToString());
        var lines = verify.StdOut.Split('\n');
        Assert.Contains(lines, line => line.StartsWith($"{_good}: manifest valid, archive ok", StringComparison.Ordinal));
        var archive = DayBlock(lines, _damagedArchive);
        Assert.StartsWith($"{_damagedArchive}: manifest valid, archive BAD", archive[0], StringComparison.Ordinal);
        Assert.Contains(archive, line => line.Contains($"s3://{_bucket}/{_prefix}{_damagedArchive}.tar.gz is damaged", StringComparison.Ordinal));
        var index = DayBlock(lines, _damagedIndex);
        Assert.StartsWith($"{_damagedIndex}: manifest valid, archive BAD", index[0], StringComparison.Ordinal);
        Assert.Contains(index, line => line.Contains($"s3://{_bucket}/{_prefix}{_damagedIndex}.tar.gz.index.json", StringComparison.Ordinal));
        Assert.Contains("Verified 3 days: 2 with problems.", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_keeps_the_day_of_the_damaged_object_naming_it_and_prunes_the_other_days()
    {
        if (!DamageArchive())
        {
            return;
        }

        var prune = await RunAsync(
            ["prune"],
            new() { ["KaggleStorage__Retention__RawDays"] = "5", ["KaggleStorage__Retention__KeepLast"] = "0" });

        Assert.True(prune.ExitCode == 1, prune.ToString());
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", _good)), $"raw/{_good} has a verified archive, so prune deletes it:\n{prune}");
        Assert.False(Directory.Exists(Path.Combine(_root, "raw", _damagedIndex)), $"raw/{_damagedIndex} has a verified archive, so prune deletes it:\n{prune}");
        Assert.True(Directory.Exists(Path.Combine(_root, "raw", _damagedArchive)), "a day whose archive object is damaged is never deleted");
        Assert.Contains(
            $"KEPT {Path.Combine(_root, "raw", _damagedArchive)}: archive of {_damagedArchive} did not verify",
            prune.StdOut,
            StringComparison.Ordinal);
        Assert.True(prune.StdOut.Contains($"s3://{_bucket}/{_prefix}{_damagedArchive}.tar.gz is damaged", StringComparison.Ordinal), prune.ToString());
    }

    private static List<string> DayBlock(string[] lines, string day)
    {
        var start = Array.FindIndex(lines, line => line.StartsWith(day + ":", StringComparison.Ordinal));
        Assert.True(start >= 0, $"verify printed no line for {day}");
        return lines.Skip(start).Take(1).Concat(lines.Skip(start + 1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))).ToList();
    }

    private static string DaysAgo(int days) => DateTime.UtcNow.Date.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Scrub_reads_every_archive_in_the_bucket_names_the_damaged_object_and_status_check_fails_on_it()
    {
        if (!_s3.DamageStoredObject(_bucket, $"{_prefix}{_damagedArchive}.tar.gz"))
        {
            return;
        }

        var scrub = await RunAsync("scrub", "--days", "3", "--json");
        var status = await RunAsync("status", "--json");
        var check = await RunAsync("status", "--check");

        Assert.True(scrub.ExitCode == 1, scrub.ToString());
        using (var document = System.Text.Json.JsonDocument.Parse(scrub.StdOut))
        {
            var archives = document.RootElement.GetProperty("archives").EnumerateArray()
                .ToDictionary(a => a.GetProperty("date").GetString()!, a => (Status: a.GetProperty("status").GetString(), Path: a.GetProperty("archiveLocation").GetString()));
            Assert.Equal(Days.Order(StringComparer.Ordinal), archives.Keys.Order(StringComparer.Ordinal));
            Assert.Equal(("damaged", $"s3://{_bucket}/{_prefix}{_damagedArchive}.tar.gz"), archives[_damagedArchive]);
            Assert.Equal("sound", archives[_good].Status);
            Assert.Equal("sound", archives[_damagedIndex].Status);
        }

        using (var document = System.Text.Json.JsonDocument.Parse(status.StdOut))
        {
            var failed = document.RootElement.GetProperty("partitions").EnumerateArray()
                .Where(p => p.GetProperty("archiveScrubFailed").GetBoolean())
                .Select(p => p.GetProperty("date").GetString());
            Assert.Equal([_damagedArchive], failed);
        }

        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"{_damagedArchive}: the archive s3://{_bucket}/{_prefix}{_damagedArchive}.tar.gz failed its last scrub", check.StdErr, StringComparison.Ordinal);
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
