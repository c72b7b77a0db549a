using System.Text.Json;
using System.Text.RegularExpressions;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Every command, fed a fixed set of garbage, answers with exit 0, 1 or 2 and one error line: never an unhandled
/// exception or a stack trace, and with <c>--json</c> a failure is still one JSON document on stdout.
/// </summary>
public sealed partial class GarbageArgumentTests : IDisposable
{
    private static readonly string[][] Garbage =
    [
        ["--bogus"],
        ["abc"],
        ["20241332"],
        ["99999999999"],
        ["--older-than", "abc"],
        ["--older-than", "99999999999"],
        ["--days", "abc"],
        ["--mb-per-day", "NaN"],
        ["--date", "2024-10-26"],
        ["--json", "--nope"],
        ["raw", "20241301"],
        ["--from"],
    ];

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [GeneratedRegex(@"^\s+at \S+", RegexOptions.Multiline)]
    private static partial Regex StackTraceLine();

    [Fact]
    public async Task Every_command_answers_garbage_with_exit_0_1_or_2_and_no_stack_trace()
    {
        var root = _temp.Combine("store");
        var commands = await ToolCommands.ListAsync();
        Assert.Contains("migrate", commands);
        var cases = commands.SelectMany(command => Garbage.Select(garbage => (string[])["--root", root, command, .. garbage]))
            .Append(["--root", "/etc/hostname", "status"])
            .Append(["--root", _temp.Combine("store", "raw", "20241026"), "status", "--json"])
            .Append(["--root", root, "restore", "20241026", "--into", "/etc/hostname", "--json"])
            .ToList();
        using var gate = new SemaphoreSlim(4);
        var results = await Task.WhenAll(cases.Select(async arguments =>
        {
            await gate.WaitAsync();
            try
            {
                return (Arguments: arguments, Result: await ToolProcess.RunAsync(arguments, workingDirectory: _temp.Path));
            }
            finally
            {
                gate.Release();
            }
        }));

        var problems = new List<string>();
        foreach (var (arguments, result) in results)
        {
            var what = $"kaggle-storage {string.Join(' ', arguments.Skip(2))}: {result}";
            var all = result.StdOut + result.StdErr;
            if (result.ExitCode is not (0 or 1 or 2))
            {
                problems.Add($"exit {result.ExitCode}: {what}");
            }

            if (all.Contains("Unhandled exception", StringComparison.Ordinal) || StackTraceLine().IsMatch(all))
            {
                problems.Add($"stack trace: {what}");
            }

            if (result.ExitCode != 0 && !result.StdErr.StartsWith("error: ", StringComparison.Ordinal))
            {
                problems.Add($"no one-line error: {what}");
            }

            if (result.ExitCode != 0 && arguments.Contains("--json") && !IsErrorDocument(result.StdOut, result.ExitCode)
                && !result.StdErr.Contains("'--json'", StringComparison.Ordinal))
            {
                problems.Add($"no JSON error document: {what}");
            }
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
        Assert.False(Directory.Exists(_temp.Combine("kaggle-demo")), "a garbage demo run built a store");
    }

    [Fact]
    public async Task Bad_configuration_values_and_roots_of_the_wrong_kind_are_bad_input_naming_what_to_use()
    {
        var root = _temp.Combine("store");
        Directory.CreateDirectory(Path.Combine(root, "raw", "20241026"));
        Directory.CreateDirectory(Path.Combine(root, "archive"));

        var badNumber = await ToolProcess.RunAsync(["--root", root, "status"], new Dictionary<string, string?> { ["KaggleStorage__Retention__RawDays"] = "abc" });
        var dayAsRoot = await ToolProcess.RunAsync("--root", Path.Combine(root, "raw", "20241026"), "status");
        var areaAsRoot = await ToolProcess.RunAsync("--root", Path.Combine(root, "archive"), "status");
        var intoArea = await ToolProcess.RunAsync("--root", root, "restore", "20241026", "--into", Path.Combine(root, "raw"));

        Assert.Equal(2, badNumber.ExitCode);
        Assert.Contains("KaggleStorage:Retention:RawDays", badNumber.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, dayAsRoot.ExitCode);
        Assert.Contains($"is a day folder, not a store root; point it at the folder that holds raw/, processed/ and archive/ (here probably '{root}')", dayAsRoot.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, areaAsRoot.ExitCode);
        Assert.Contains($"(here probably '{root}')", areaAsRoot.StdErr, StringComparison.Ordinal);
        Assert.Equal(2, intoArea.ExitCode);
        Assert.Contains("inside the store", intoArea.StdErr, StringComparison.Ordinal);
    }

    private static bool IsErrorDocument(string stdout, int exitCode)
    {
        try
        {
            using var document = JsonDocument.Parse(stdout);
            return document.RootElement.GetProperty("error").GetString() is { Length: > 0 }
                && document.RootElement.GetProperty("exitCode").GetInt32() == exitCode;
        }
        catch (Exception exception) when (exception is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }
}
