using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// What a CronJob's log shows: with stdout redirected, long commands print the plan first, a line per day as it
/// is done and a plain progress line at a steady interval; <c>--json</c> keeps stdout one document.
/// </summary>
public sealed class LiveOutputTests : IDisposable
{
    private static readonly Dictionary<string, string?> FastProgress = new() { ["KAGGLE_STORAGE_PROGRESS_SECONDS"] = "0.05" };
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public LiveOutputTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Archive_without_a_terminal_prints_progress_lines_and_each_day_before_the_summary()
    {
        await SampleStore.WriteRawDayAsync(_root, "20241025", 24 << 20);
        await SampleStore.WriteRawDayAsync(_root, "20241026", 24 << 20);

        var archive = await ToolProcess.RunAsync(["--root", _root, "archive", "--all"], FastProgress);
        var lines = archive.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Contains(lines, line => line.StartsWith("progress: 20241025 (1/2) ", StringComparison.Ordinal));
        var first = Array.FindIndex(lines, line => line.StartsWith("20241025: created", StringComparison.Ordinal));
        var second = Array.FindIndex(lines, line => line.StartsWith("20241026: created", StringComparison.Ordinal));
        Assert.True(first >= 0 && second > first, archive.StdOut);
        Assert.Equal("Archived 2 days.", lines[^1].Trim());
        Assert.DoesNotContain('\u001b', archive.StdOut);
    }

    [Fact]
    public async Task With_json_stdout_is_one_document_and_progress_goes_to_stderr()
    {
        await SampleStore.WriteRawDayAsync(_root, "20241026", 24 << 20);

        var archive = await ToolProcess.RunAsync(["--root", _root, "archive", "20241026", "--json"], FastProgress);

        Assert.True(archive.ExitCode == 0, archive.ToString());
        using var document = JsonDocument.Parse(archive.StdOut);
        Assert.Equal(1, document.RootElement.GetProperty("outcomes").GetArrayLength());
        Assert.Contains("progress: 20241026", archive.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Migrate_prints_its_plan_before_the_work_and_each_day_as_it_is_done()
    {
        var legacy = _temp.Combine("legacy");
        foreach (var day in new[] { "20241024", "20241025" })
        {
            Directory.CreateDirectory(Path.Combine(legacy, "kaggle_raw", day));
            await File.WriteAllTextAsync(Path.Combine(legacy, "kaggle_raw", day, "prices.csv"), "h\n1\n");
        }

        var migrate = await ToolProcess.RunAsync(["--root", _root, "migrate", "--from", legacy], FastProgress);
        var lines = migrate.StdOut.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => line.Trim()).ToList();

        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        var total = lines.FindIndex(line => line.StartsWith("Total: ", StringComparison.Ordinal));
        var copied = lines.FindIndex(line => line.StartsWith("20241024  copied, 1 file verified", StringComparison.Ordinal));
        var done = lines.FindIndex(line => line.StartsWith("Done: ", StringComparison.Ordinal));
        Assert.True(total >= 0 && copied > total && done > copied, migrate.StdOut);
        Assert.Single(lines, line => line.StartsWith("Total: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_terminal_run_starts_with_the_output_not_an_escape_sequence()
    {
        var script = $"dotnet '{ToolProcess.DllPath}' --root '{_root}' path raw 20241026";

        var run = await Shell.RunAsync("script", "-qec", script, "/dev/null");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.StartsWith(Path.Combine(_root, "raw", "20241026"), run.StdOut, StringComparison.Ordinal);
    }
}
