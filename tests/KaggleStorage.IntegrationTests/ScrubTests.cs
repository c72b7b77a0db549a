using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// <c>scrub</c> on real folders with the tool: nights of a few archives each find a damaged one, a re-archived day
/// reads sound again, and <c>status</c> shows and checks when each archive was last proven.
/// </summary>
public sealed class ScrubTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string[] _days = [.. Enumerable.Range(1, 6).Reverse().Select(DaysAgo)];

    public ScrubTests()
    {
        _root = _temp.Combine("store");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    private static string DaysAgo(int days) => DateTime.UtcNow.Date.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private string ArchivePath(string day) => Path.Combine(_root, "archive", day + ".tar.gz");

    [Fact]
    public async Task Three_nights_of_two_find_the_damaged_archive_once_and_after_archiving_it_again_all_six_read_sound()
    {
        await ArchiveSixDaysAsync();

        // The newest day was archived last, so it is proven most recently and read on the third night.
        var damaged = _days[^1];
        var bytes = await File.ReadAllBytesAsync(ArchivePath(damaged));
        bytes[bytes.Length / 2] ^= 0x40;
        await File.WriteAllBytesAsync(ArchivePath(damaged), bytes);

        var nights = new List<ToolResult>();
        for (var night = 0; night < 3; night++)
        {
            nights.Add(await ToolProcess.RunAsync("--root", _root, "scrub", "--days", "2", "--json"));
        }

        var text = await ToolProcess.RunAsync("--root", _root, "scrub", "--days", "1");
        var status = await ToolProcess.RunAsync("--root", _root, "status", "--json");
        var check = await ToolProcess.RunAsync("--root", _root, "status", "--check");

        var read = new List<string>();
        foreach (var night in nights)
        {
            using var document = JsonDocument.Parse(night.StdOut);
            var archives = document.RootElement.GetProperty("archives").EnumerateArray().ToList();
            Assert.InRange(archives.Count, 1, 2);
            read.AddRange(archives.Select(a => a.GetProperty("date").GetString()!));
            var failed = archives.Where(a => a.GetProperty("status").GetString() != "sound").Select(a => a.GetProperty("date").GetString()).ToList();
            Assert.True(night.ExitCode == (failed.Count == 0 ? 0 : 1), night.ToString());
        }

        Assert.Equal(_days, read);
        Assert.Equal([0, 0, 1], nights.Select(n => n.ExitCode));
        using (var third = JsonDocument.Parse(nights[2].StdOut))
        {
            var bad = third.RootElement.GetProperty("archives")[1];
            Assert.Equal(damaged, bad.GetProperty("date").GetString());
            Assert.Equal("damaged", bad.GetProperty("status").GetString());
            Assert.Equal(ArchivePath(damaged) + ".index.json", bad.GetProperty("indexPath").GetString());
        }

        // A damaged archive stays the least recently proven, so the next night reads it first and names it again.
        Assert.Equal(1, text.ExitCode);
        Assert.Contains($"{damaged}: archive DAMAGED {ArchivePath(damaged)} (index {ArchivePath(damaged)}.index.json)", text.StdOut, StringComparison.Ordinal);
        using (var document = JsonDocument.Parse(status.StdOut))
        {
            foreach (var partition in document.RootElement.GetProperty("partitions").EnumerateArray())
            {
                Assert.Equal(JsonValueKind.String, partition.GetProperty("archiveVerifiedAtUtc").ValueKind);
                Assert.Equal(partition.GetProperty("date").GetString() == damaged, partition.GetProperty("archiveScrubFailed").GetBoolean());
            }
        }

        Assert.Equal(1, check.ExitCode);
        Assert.Contains($"unhealthy: {damaged}: the archive {ArchivePath(damaged)} failed its last scrub", check.StdErr, StringComparison.Ordinal);

        // An archive that cannot be read is not replaced by rule: it is moved away, and the day archived again.
        File.Move(ArchivePath(damaged), _temp.Combine("damaged.tar.gz"));
        File.Delete(ArchivePath(damaged) + ".index.json");
        var again = await ToolProcess.RunAsync("--root", _root, "archive", damaged);
        var all = await ToolProcess.RunAsync("--root", _root, "scrub", "--days", "6", "--json");
        var healthy = await ToolProcess.RunAsync("--root", _root, "status", "--check");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.True(all.ExitCode == 0, all.ToString());
        using (var document = JsonDocument.Parse(all.StdOut))
        {
            Assert.Equal(Enumerable.Repeat("sound", 6), document.RootElement.GetProperty("archives").EnumerateArray().Select(a => a.GetProperty("status").GetString()));
        }

        Assert.True(healthy.ExitCode == 0, healthy.ToString());
    }

    [Fact]
    public async Task Check_fails_on_an_archive_whose_last_proof_in_the_record_is_older_than_MaxUnverifiedDays()
    {
        await SampleStore.WriteRawDayAsync(_root, _days[^1], 32 << 10);
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        var scrub = await ToolProcess.RunAsync("--root", _root, "scrub");
        var fresh = await ToolProcess.RunAsync("--root", _root, "status", "--check");
        var recordPath = Path.Combine(_root, "metadata", "scrub", "archives.json");
        var record = JsonNode.Parse(await File.ReadAllTextAsync(recordPath))!;
        var old = DateTimeOffset.UtcNow.AddDays(-50);
        record["archives"]![0]!["verifiedAtUtc"] = old;
        record["archives"]![0]!["lastPassedAtUtc"] = old;
        await File.WriteAllTextAsync(recordPath, record.ToJsonString());
        var stale = await ToolProcess.RunAsync("--root", _root, "status", "--check");
        var lenient = await ToolProcess.RunAsync(
            ["--root", _root, "status", "--check"], new Dictionary<string, string?> { ["KaggleStorage__Health__MaxUnverifiedDays"] = "60" });

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.True(scrub.ExitCode == 0, scrub.ToString());
        Assert.Contains($"{_days[^1]}: archive ok", scrub.StdOut, StringComparison.Ordinal);
        Assert.True(fresh.ExitCode == 0, fresh.ToString());
        Assert.Equal(1, stale.ExitCode);
        Assert.Contains($"unhealthy: {_days[^1]}: the archive was last verified on {old.UtcDateTime:yyyyMMdd}, 50 days ago, more than KaggleStorage:Health:MaxUnverifiedDays (45)", stale.StdErr, StringComparison.Ordinal);
        Assert.True(lenient.ExitCode == 0, lenient.ToString());
    }

    private async Task ArchiveSixDaysAsync()
    {
        for (var i = 0; i < _days.Length; i++)
        {
            await SampleStore.WriteRawDayAsync(_root, _days[i], 32 << 10, seed: i + 1);
        }

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        Assert.True(archive.ExitCode == 0, archive.ToString());
    }
}
