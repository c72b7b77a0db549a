using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// A root that does not exist is a mistake (a typo, an unmounted volume), not an empty store: every command but
/// init says so and creates nothing there.
/// </summary>
public sealed class MissingRootTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Every_command_but_init_exits_2_on_a_missing_root_and_creates_nothing()
    {
        var root = _temp.Combine("mistyped", "store");
        var legacy = _temp.Combine("legacy", "kaggle_raw", "20241026");
        Directory.CreateDirectory(legacy);
        await File.WriteAllTextAsync(Path.Combine(legacy, "prices.csv"), "a,b\n1,2\n");
        var commands = new[]
        {
            new[] { "status" },
            ["status", "--check"],
            ["status", "--json"],
            ["verify"],
            ["verify", "20241026"],
            ["prune"],
            ["prune", "--dry-run"],
            ["archive", "--all"],
            ["archive", "20241026", "--dry-run"],
            ["restore", "20241026"],
            ["restore", "20241026", "--into", _temp.Combine("out")],
            ["restore", "20241026", "--file", "prices.csv", "--into", _temp.Combine("out")],
            ["cat", "20241026", "prices.csv"],
            ["scrub"],
            ["scrub", "--days", "1", "--json"],
            ["path", "raw", "20241026"],
            ["migrate", "--from", _temp.Combine("legacy")],
            ["migrate", "--from", _temp.Combine("legacy"), "--dry-run"],
            ["rollback", "--to", _temp.Combine("back")],
            ["download", "--dry-run"],
        };
        var before = Directory.GetFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();

        var problems = new List<string>();
        foreach (var command in commands)
        {
            var result = await ToolProcess.RunAsync(["--root", root, .. command]);
            var lines = result.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (result.ExitCode != 2 || lines.Length != 1 || !lines[0].Contains($"No store at {root}: the folder does not exist; run 'kaggle-storage init'", StringComparison.Ordinal))
            {
                problems.Add($"kaggle-storage {string.Join(' ', command)}: {result}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        Assert.Equal(before, Directory.GetFileSystemEntries(_temp.Path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal));
        Assert.False(Directory.Exists(_temp.Combine("mistyped")));
    }

    [Fact]
    public async Task Init_makes_the_store_and_a_root_without_areas_is_still_a_store()
    {
        var root = _temp.Combine("store");
        var empty = _temp.Combine("empty-volume");
        Directory.CreateDirectory(empty);

        var init = await ToolProcess.RunAsync("--root", root, "init");
        var status = await ToolProcess.RunAsync("--root", root, "status");
        var prune = await ToolProcess.RunAsync("--root", empty, "prune");
        var verify = await ToolProcess.RunAsync("--root", empty, "verify");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.True(prune.ExitCode == 0, prune.ToString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
    }
}
