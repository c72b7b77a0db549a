using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

public sealed class ToolBasicsTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Init_creates_the_five_areas_and_is_idempotent()
    {
        var root = _temp.Combine("store");

        var first = await ToolProcess.RunAsync("--root", root, "init");
        var second = await ToolProcess.RunAsync("--root", root, "init");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Equal(
            new[] { "archive", "metadata", "processed", "raw", "reports" },
            Directory.GetDirectories(root).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray());
        Assert.Contains("created raw/, processed/, reports/, metadata/, archive/", first.StdOut, StringComparison.Ordinal);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("already initialized", second.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Path_prints_the_raw_date_directory()
    {
        var root = _temp.Combine("store");
        Directory.CreateDirectory(root);

        var result = await ToolProcess.RunAsync("--root", root, "path", "raw", "20241026");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Path.Combine(root, "raw", "20241026"), result.StdOut.Trim());
    }

    [Fact]
    public async Task Kaggle_data_root_environment_variable_is_honoured()
    {
        var root = _temp.Combine("from-env");
        Directory.CreateDirectory(root);

        var result = await ToolProcess.RunAsync(
            ["path", "processed", "20240101"],
            new Dictionary<string, string?> { ["KAGGLE_DATA_ROOT"] = root });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Path.Combine(root, "processed", "20240101"), result.StdOut.Trim());
    }

    [Fact]
    public async Task Configuration_key_wins_over_Kaggle_data_root()
    {
        var fromConfig = _temp.Combine("from-config");
        Directory.CreateDirectory(fromConfig);
        Directory.CreateDirectory(_temp.Combine("from-env"));

        var result = await ToolProcess.RunAsync(
            ["path", "raw", "20240101"],
            new Dictionary<string, string?> { ["KAGGLE_DATA_ROOT"] = _temp.Combine("from-env"), ["KaggleStorage__Root"] = fromConfig });

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(Path.Combine(fromConfig, "raw", "20240101"), result.StdOut.Trim());
    }

    [Theory]
    [InlineData("20241332")]
    [InlineData("2024-10-26")]
    [InlineData("2024102")]
    public async Task Bad_date_exits_2_with_one_line_error(string date)
    {
        var result = await ToolProcess.RunAsync("--root", _temp.Path, "path", "raw", date);

        Assert.Equal(2, result.ExitCode);
        Assert.Equal(string.Empty, result.StdOut);
        var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(date, lines[0], StringComparison.Ordinal);
        Assert.Contains("YYYYMMDD", lines[0], StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verbose_adds_the_stack_trace()
    {
        var result = await ToolProcess.RunAsync("--root", _temp.Path, "--verbose", "path", "raw", "20241332");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("   at ", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_command_exits_2()
    {
        var result = await ToolProcess.RunAsync("--root", _temp.Path, "frobnicate");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("frobnicate", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_pointing_at_a_raw_area_is_rejected_with_advice()
    {
        var raw = _temp.Combine("store", "raw");
        Directory.CreateDirectory(raw);

        var result = await ToolProcess.RunAsync("--root", raw, "status");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("raw area", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(_temp.Combine("store"), result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_json_is_only_json_and_matches_the_disk()
    {
        var root = _temp.Combine("store");
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", root, "init")).ExitCode);
        Directory.CreateDirectory(Path.Combine(root, "raw", "20241026"));
        File.WriteAllText(Path.Combine(root, "raw", "20241026", "prices.csv"), "a,b\n1,2\n");
        Directory.CreateDirectory(Path.Combine(root, "raw", "20241028"));
        Directory.CreateDirectory(Path.Combine(root, "raw", "not-a-date"));

        var result = await ToolProcess.RunAsync("--root", root, "status", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var json = JsonDocument.Parse(result.StdOut);
        var status = json.RootElement;
        Assert.Equal(root, status.GetProperty("root").GetString());
        Assert.True(status.GetProperty("initialized").GetBoolean());
        var raw = status.GetProperty("areas").EnumerateArray().Single(a => a.GetProperty("area").GetString() == "raw");
        Assert.Equal(2, raw.GetProperty("partitionCount").GetInt32());
        Assert.Equal(1, raw.GetProperty("fileCount").GetInt64());
        Assert.Equal(8, raw.GetProperty("bytes").GetInt64());
        var days = status.GetProperty("partitions").EnumerateArray().Select(p => p.GetProperty("date").GetString()).ToArray();
        Assert.Equal(new[] { "20241026", "20241028" }, days);
        Assert.Equal("missing", status.GetProperty("partitions")[0].GetProperty("manifest").GetString());
        Assert.Equal(new[] { "20241027" }, status.GetProperty("missingDays").EnumerateArray().Select(d => d.GetString()).ToArray());
        Assert.Equal(new[] { Path.Combine(root, "raw", "not-a-date") }, status.GetProperty("unknownEntries").EnumerateArray().Select(d => d.GetString()).ToArray());
    }
}
