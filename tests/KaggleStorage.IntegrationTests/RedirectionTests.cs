using System.Text.RegularExpressions;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// The tool's output as a shell redirects it, the way a CronJob wrapper or <c>cron &gt;&gt; log</c> logs it: the file
/// holds exactly what the tool printed (captured on separate pipes), in order, around the shell's own lines. And a
/// reader that has gone (<c>| head</c>, <c>| grep -q</c>) ends the command quietly.
/// </summary>
public sealed partial class RedirectionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;

    public RedirectionTests()
    {
        _root = _temp.Combine("store");
        Directory.CreateDirectory(Path.Combine(_root, "raw", "20241026"));
        File.WriteAllText(Path.Combine(_root, "raw", "20241026", "prices.csv"), "a,b\n1,2\n");
    }

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("kaggle-storage \"${ARGS[@]}\" > out", "{out}")]
    [InlineData("printf 'earlier line\\n' > out; kaggle-storage \"${ARGS[@]}\" >> out", "earlier line\n{out}")]
    [InlineData("kaggle-storage \"${ARGS[@]}\" > out 2>&1", "{out}{err}")]
    [InlineData("{ echo A; kaggle-storage \"${ARGS[@]}\"; echo B; } > out 2>&1", "A\n{out}{err}B\n")]
    [InlineData("{ echo A; kaggle-storage \"${ARGS[@]}\" 2>/dev/null; echo B; } > out", "A\n{out}B\n")]
    public async Task A_redirected_file_holds_what_the_tool_printed_in_order(string redirection, string expected)
    {
        // status --check on a store with a day and no manifest prints its report on stdout, then its verdict on stderr.
        string[] arguments = ["--root", _root, "status", "--check"];
        var printed = await ToolProcess.RunAsync(arguments);
        Assert.True(printed.StdOut.Length > 0 && printed.StdErr.Length > 0, printed.ToString());

        var result = await RunScriptAsync($"ARGS=(--root '{_root}' status --check)\n{redirection}\n");

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        var file = await File.ReadAllTextAsync(_temp.Combine("out"));
        Assert.Equal(
            WithoutFreeSpace(expected.Replace("{out}", printed.StdOut, StringComparison.Ordinal).Replace("{err}", printed.StdErr, StringComparison.Ordinal)),
            WithoutFreeSpace(file));
    }

    [Theory]
    [InlineData("status")]
    [InlineData("status --json")]
    [InlineData("--help")]
    [InlineData("archive 20241399 --json")]
    public async Task A_reader_that_has_gone_ends_the_command_quietly(string command)
    {
        // A fifo whose only reader is closed before the tool starts, so every write the tool makes meets a closed
        // pipe, as `| head -c 10` does to a long output: no race with how much the pipe buffers.
        var result = await RunScriptAsync(
            $"mkfifo pipe\nexec 3<>pipe 4>pipe\nexec 3<&-\nkaggle-storage --root '{_root}' {command} >&4 2>err\necho \"exit=$?\"\n");

        var stderr = await File.ReadAllTextAsync(_temp.Combine("err"));
        Assert.True(result.StdOut.Trim() is "exit=141" or "exit=1", $"{result}\n--- tool stderr\n{stderr}");
        Assert.True(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length <= 1, stderr);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_both_streams_on_a_gone_reader_the_command_ends_with_the_pipe_status()
    {
        var result = await RunScriptAsync(
            $"mkfifo pipe\nexec 3<>pipe 4>pipe\nexec 3<&-\nkaggle-storage --root '{_root}' status --check >&4 2>&4\necho \"exit=$?\"\n");

        Assert.Equal("exit=141", result.StdOut.Trim());
    }

    /// <summary>
    /// The report with the volume's free space blanked: other tests write to the same volume between the two runs, so
    /// that one figure (and when the volume would fill) may differ while every line is still there, in its place.
    /// </summary>
    private static string WithoutFreeSpace(string report) =>
        FreeSpace().Replace(FillsIn().Replace(report, "…"), "… free");

    [GeneratedRegex(@"[0-9.]+ [KMGTP]?i?B free")]
    private static partial Regex FreeSpace();

    [GeneratedRegex(@"the volume is full in about [0-9,]+ days?|at this rate the volume never fills|at this rate it is full in about [0-9,]+ days?")]
    private static partial Regex FillsIn();

    private Task<ToolResult> RunScriptAsync(string body) =>
        Shell.RunAsync("bash", "-u", "-c", $"kaggle-storage() {{ dotnet '{ToolProcess.DllPath}' \"$@\"; }}\ncd '{_temp.Path}'\n{body}");
}
