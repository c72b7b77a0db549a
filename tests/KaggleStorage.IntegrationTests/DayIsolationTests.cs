using System.Globalization;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// One day folder that cannot be read (mode 000, the tool running as a user the mode applies to) among good days:
/// verify, status and prune name that day by its path, still handle every other day, and exit 1.
/// </summary>
public sealed class DayIsolationTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string[] _good = [DaysAgo(10), DaysAgo(12)];
    private readonly string _bad = DaysAgo(11);
    private UnprivilegedTool? _tool;

    public DayIsolationTests() => _root = _temp.Combine("store");

    private string BadFolder => Path.Combine(_root, "raw", _bad);

    public async Task InitializeAsync()
    {
        foreach (var (day, seed) in _good.Append(_bad).Select((day, i) => (day, i + 1)))
        {
            await SampleStore.WriteRawDayAsync(_root, day, 48 << 10, seed);
        }

        // Archived while every day still reads, so verify also has archives of the good days to check.
        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "--all");
        Assert.True(archive.ExitCode == 0, archive.ToString());
        _tool = await UnprivilegedTool.PrepareAsync(_root, _temp.Path);
        UnprivilegedTool.MakeUnreadable(BadFolder);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose()
    {
        if (Directory.Exists(BadFolder))
        {
            UnprivilegedTool.MakeReadable(BadFolder);
        }

        _temp.Dispose();
    }

    [Fact]
    public async Task Verify_names_the_unreadable_day_by_its_path_instead_of_calling_its_manifest_missing_and_checks_the_others()
    {
        if (_tool is null)
        {
            return;
        }

        var verify = await _tool.RunAsync(["--root", _root, "verify"]);

        Assert.True(verify.ExitCode == 1, verify.ToString());
        var lines = verify.StdOut.Split('\n');
        foreach (var day in _good)
        {
            Assert.Contains(lines, line => line.StartsWith($"{day}: manifest valid, archive ok", StringComparison.Ordinal));
        }

        var bad = DayBlock(lines, _bad);
        Assert.StartsWith($"{_bad}: manifest invalid, archive BAD", bad[0], StringComparison.Ordinal);
        Assert.Contains(bad, line => line.Contains($"{BadFolder} could not be read", StringComparison.Ordinal));
        Assert.DoesNotContain(bad, line => line.Contains("is missing", StringComparison.Ordinal));
        Assert.Contains("Verified 3 days: 1 with problems.", verify.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_lists_every_day_shows_the_unreadable_one_and_check_fails_naming_its_path()
    {
        if (_tool is null)
        {
            return;
        }

        var status = await _tool.RunAsync(["--root", _root, "status", "--json"]);
        var check = await _tool.RunAsync(["--root", _root, "status", "--check"]);

        Assert.True(status.ExitCode == 0, status.ToString());
        using (var document = JsonDocument.Parse(status.StdOut))
        {
            var days = document.RootElement.GetProperty("partitions").EnumerateArray().ToDictionary(p => p.GetProperty("date").GetString()!);
            Assert.Equal(_good.Append(_bad).Order(StringComparer.Ordinal), days.Keys.Order(StringComparer.Ordinal));
            foreach (var day in _good)
            {
                Assert.Equal("valid", days[day].GetProperty("manifest").GetString());
                Assert.Equal(0, days[day].GetProperty("problems").GetArrayLength());
            }

            var problems = days[_bad].GetProperty("problems").EnumerateArray().Select(p => p.GetString()!).ToList();
            Assert.Contains(problems, problem => problem.StartsWith($"{BadFolder} could not be read", StringComparison.Ordinal));
        }

        Assert.Equal(1, check.ExitCode);
        Assert.Contains(
            check.StdErr.Split('\n'),
            line => line.StartsWith($"unhealthy: {_bad}: {BadFolder} could not be read", StringComparison.Ordinal));
        foreach (var day in _good)
        {
            Assert.Contains($"{day} ", check.StdOut, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Prune_deletes_the_other_archived_days_keeps_the_unreadable_ones_out_of_the_trash_and_exits_1()
    {
        if (_tool is null)
        {
            return;
        }

        // A second unreadable day past the archive window, which prune would delete without archiving.
        var old = DaysAgo(400);
        await SampleStore.WriteRawDayAsync(_root, old, 8 << 10, seed: 9);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal(0, (await Shell.RunAsync("chown", "-R", "65534:65534", Path.Combine(_root, "raw", old))).ExitCode);
        }

        var oldFolder = Path.Combine(_root, "raw", old);
        UnprivilegedTool.MakeUnreadable(oldFolder);
        var retention = new Dictionary<string, string?>
        {
            ["KaggleStorage__Retention__RawDays"] = "5",
            ["KaggleStorage__Retention__KeepLast"] = "0",
        };

        ToolResult prune;
        try
        {
            prune = await _tool.RunAsync(["--root", _root, "prune"], retention);
        }
        finally
        {
            UnprivilegedTool.MakeReadable(oldFolder);
        }

        Assert.True(prune.ExitCode == 1, prune.ToString());
        foreach (var day in _good)
        {
            Assert.False(Directory.Exists(Path.Combine(_root, "raw", day)), $"raw/{day} was archived and verified, so prune deletes it:\n{prune}");
        }

        Assert.True(Directory.Exists(BadFolder), "an unreadable day is never deleted");
        Assert.True(Directory.Exists(oldFolder), "an unreadable day past the archive window is never deleted");
        Assert.Contains($"KEPT {BadFolder}:", prune.StdOut, StringComparison.Ordinal);
        Assert.Contains($"{BadFolder} could not be read", prune.StdOut, StringComparison.Ordinal);
        Assert.Contains($"KEPT {oldFolder}: kept, because {oldFolder} could not be read", prune.StdOut, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_root, ".trash")));
        Assert.NotEmpty(Shell.HashTree(oldFolder));
    }

    /// <summary>A day's line of verify's output and the problem lines under it.</summary>
    private static List<string> DayBlock(string[] lines, string day)
    {
        var start = Array.FindIndex(lines, line => line.StartsWith(day + ":", StringComparison.Ordinal));
        Assert.True(start >= 0, $"verify printed no line for {day}");
        return lines.Skip(start).Take(1).Concat(lines.Skip(start + 1).TakeWhile(line => line.StartsWith("  ", StringComparison.Ordinal))).ToList();
    }

    private static string DaysAgo(int days) => DateTime.UtcNow.Date.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
}
