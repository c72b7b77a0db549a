using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>What a person reads in a log: each failure once, counts in the right number, no empty brackets.</summary>
public sealed class ToolMessageTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public ToolMessageTests()
    {
        _root = _temp.Combine("store");
        Directory.CreateDirectory(_root);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task A_day_that_fails_to_archive_is_told_once()
    {
        var day = Path.Combine(_root, "raw", "20241026");
        Directory.CreateDirectory(day);
        await File.WriteAllTextAsync(Path.Combine(day, "prices.csv"), "a,b\n1,2\n");
        File.CreateSymbolicLink(Path.Combine(day, "link.csv"), "/etc/hostname");

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "20241026");

        Assert.True(archive.ExitCode == 1, archive.ToString());
        var lines = (archive.StdOut + archive.StdErr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, line => line.Contains("link.csv is a symbolic link", StringComparison.Ordinal));
        Assert.StartsWith("error: 20241026: ", archive.StdErr, StringComparison.Ordinal);
        Assert.Single(archive.StdErr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("Archived 0 of 1 day; 1 failed.", archive.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_does_not_grow_says_so_without_empty_brackets()
    {
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", _root, "init")).ExitCode);

        var status = await ToolProcess.RunAsync("--root", _root, "status");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Contains("Growth: 0 B a day; ", status.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("()", status.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_day_is_one_day()
    {
        var day = Path.Combine(_root, "raw", "20241026");
        Directory.CreateDirectory(day);
        await File.WriteAllTextAsync(Path.Combine(day, "prices.csv"), "a,b\n1,2\n");

        var archive = await ToolProcess.RunAsync("--root", _root, "archive", "20241026");
        var verify = await ToolProcess.RunAsync("--root", _root, "verify", "20241026");

        Assert.True(archive.ExitCode == 0, archive.ToString());
        Assert.Contains("Archived 1 day.", archive.StdOut, StringComparison.Ordinal);
        Assert.Contains("Verified 1 day: ", verify.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("(s)", archive.StdOut + verify.StdOut, StringComparison.Ordinal);
    }
}
