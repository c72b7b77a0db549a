using System.Globalization;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary><c>status --check</c> for monitoring, and the capacity forecast, on real folders and a real small volume.</summary>
public sealed class StatusHealthTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string DaysAgo(int days) => DateTime.UtcNow.Date.AddDays(-days).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Check_passes_on_a_fresh_store_and_fails_with_one_line_per_reason_on_a_stale_one()
    {
        var fresh = _temp.Combine("fresh");
        await SampleStore.WriteRawDayAsync(fresh, DaysAgo(1), 32 << 10);
        var stale = _temp.Combine("stale");
        await SampleStore.WriteRawDayAsync(stale, DaysAgo(10), 32 << 10);
        await SampleStore.WriteRawDayAsync(stale, DaysAgo(11), 32 << 10);
        await File.AppendAllTextAsync(Path.Combine(stale, "raw", DaysAgo(11), "price_full_file_shufersal.csv"), "tampered\n");

        var ok = await ToolProcess.RunAsync("--root", fresh, "status", "--check");
        var bad = await ToolProcess.RunAsync("--root", stale, "status", "--check");
        var json = await ToolProcess.RunAsync("--root", stale, "status", "--check", "--json");

        Assert.True(ok.ExitCode == 0, ok.ToString());
        Assert.Contains("Health: ok.", ok.StdOut, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        var reasons = bad.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains(reasons, line => line.StartsWith($"unhealthy: the newest raw day (or day the download found the dataset unchanged) is {DaysAgo(10)}, 10 days old", StringComparison.Ordinal));
        Assert.Contains(reasons, line => line.StartsWith($"unhealthy: raw/{DaysAgo(11)}: its manifest is invalid", StringComparison.Ordinal));
        Assert.Equal(1, json.ExitCode);
        using var document = JsonDocument.Parse(json.StdOut);
        Assert.Equal(2, document.RootElement.GetProperty("healthProblems").GetArrayLength());
    }

    [Fact]
    public async Task Capacity_on_a_small_volume_says_the_steady_state_does_not_fit_and_when_it_fills()
    {
        using var volume = SmallVolume.MountUnlessUnprivileged(_temp.Combine("small"), 16);
        if (volume is null)
        {
            return;
        }

        var root = Path.Combine(volume.Path, "store");
        for (var age = 1; age <= 3; age++)
        {
            await SampleStore.WriteRawDayAsync(root, DaysAgo(age), 1 << 20);
        }

        var status = await ToolProcess.RunAsync("--root", root, "status", "--json");
        var check = await ToolProcess.RunAsync("--root", root, "status", "--check");

        using var document = JsonDocument.Parse(status.StdOut);
        var capacity = document.RootElement.GetProperty("capacity");
        Assert.Equal(16L << 20, capacity.GetProperty("totalBytes").GetInt64());
        Assert.InRange(capacity.GetProperty("freeBytes").GetInt64(), 10L << 20, 14L << 20);
        Assert.InRange(capacity.GetProperty("dailyGrowthBytes").GetInt64(), 900_000, 1_200_000);
        Assert.InRange(capacity.GetProperty("steadyStateBytes").GetInt64(), 80L << 20, 110L << 20);
        Assert.InRange(capacity.GetProperty("daysUntilFull").GetInt32(), 9, 15);
        Assert.Equal(1, check.ExitCode);
        Assert.Contains("settles at about", check.StdOut, StringComparison.Ordinal);
        Assert.Contains("Grow the volume or shorten retention", check.StdErr, StringComparison.Ordinal);
    }
}

public sealed class PreflightTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Migrate_into_a_volume_too_small_refuses_before_writing_saying_what_it_needs_and_what_is_free()
    {
        var legacy = _temp.Combine("legacy", "kaggle_raw");
        await SampleStore.WriteRawDayAsync(_temp.Combine("legacy-store"), "20241026", 6 << 20);
        Directory.CreateDirectory(legacy);
        Directory.Move(_temp.Combine("legacy-store", "raw", "20241026"), Path.Combine(legacy, "20241026"));
        using var volume = SmallVolume.MountUnlessUnprivileged(_temp.Combine("small"), 4);
        if (volume is null)
        {
            return;
        }

        var root = Path.Combine(volume.Path, "store");
        Directory.CreateDirectory(root);
        var migrate = await ToolProcess.RunAsync("--root", root, "migrate", "--from", legacy);

        Assert.Equal(1, migrate.ExitCode);
        Assert.Matches(@"^error: Migrating \d+ files? needs \d+ bytes .* but only \d+ .* are free; nothing was written\.", migrate.StdErr);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(root, "raw")));
        Assert.False(Directory.Exists(Path.Combine(root, ".staging")) && Directory.EnumerateFileSystemEntries(Path.Combine(root, ".staging")).Any());
    }
}
