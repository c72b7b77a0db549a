using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>The tool checks configuration as a host does: every section, before any command, by the library's rules.</summary>
public sealed class ToolConfigurationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("KaggleStorage__Retention__RawDays", "-1", "RawDays")]
    [InlineData("KaggleStorage__Health__MaxUnverifiedDays", "-1", "MaxUnverifiedDays")]
    [InlineData("KaggleStorage__Scrub__CycleDays", "0", "CycleDays")]
    [InlineData("KaggleStorage__Kaggle__StallTimeout", "00:00:00", "StallTimeout")]
    public async Task Every_options_section_is_checked_before_a_command_that_does_not_use_it(string key, string value, string named)
    {
        var root = await InitAsync();

        var result = await ToolProcess.RunAsync(["--root", root, "path", "raw", "20241026"], new Dictionary<string, string?> { [key] = value });

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("invalid configuration", result.StdErr, StringComparison.Ordinal);
        Assert.Contains(named, result.StdErr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StdOut);
    }

    [Fact]
    public async Task Problems_of_several_sections_are_told_together()
    {
        var root = await InitAsync();

        var result = await ToolProcess.RunAsync(
            ["--root", root, "status"],
            new Dictionary<string, string?> { ["KaggleStorage__Retention__RawDays"] = "-1", ["KaggleStorage__Scrub__CycleDays"] = "0" });

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("RawDays", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("CycleDays", result.StdErr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Asia/Jerusalem", 0)]
    [InlineData("UTC", 0)]
    [InlineData("Israel Standard Time", 2)]
    public async Task The_tool_takes_the_time_zones_the_library_takes(string timeZone, int exitCode)
    {
        var root = await InitAsync();

        var result = await ToolProcess.RunAsync(["--root", root, "status"], new Dictionary<string, string?> { ["KaggleStorage__TimeZone"] = timeZone });

        Assert.True(result.ExitCode == exitCode, result.ToString());
        if (exitCode == 2)
        {
            Assert.Contains("is not an IANA time zone id", result.StdErr, StringComparison.Ordinal);
        }
    }

    private async Task<string> InitAsync()
    {
        var root = _temp.Combine("store");
        var init = await ToolProcess.RunAsync("--root", root, "init");
        Assert.True(init.ExitCode == 0, init.ToString());
        return root;
    }
}
