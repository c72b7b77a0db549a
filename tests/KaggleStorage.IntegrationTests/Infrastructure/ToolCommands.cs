using System.Text.RegularExpressions;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>The tool's commands as its own <c>--help</c> lists them, so a test over every command cannot miss a new one.</summary>
public static partial class ToolCommands
{
    public static async Task<IReadOnlyList<string>> ListAsync()
    {
        var help = await ToolProcess.RunAsync("--help");
        var start = help.StdOut.IndexOf("Commands:", StringComparison.Ordinal);
        if (help.ExitCode != 0 || start < 0)
        {
            throw new InvalidOperationException($"kaggle-storage --help lists no commands: {help}");
        }

        return [.. Names().Matches(help.StdOut[start..]).Select(match => match.Groups[1].Value)];
    }

    [GeneratedRegex(@"^  ([a-z]+)\b", RegexOptions.Multiline)]
    private static partial Regex Names();
}
