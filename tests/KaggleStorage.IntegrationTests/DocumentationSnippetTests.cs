using System.Text.RegularExpressions;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Every shell block in README.md and docs/ marked <c>&lt;!-- runnable --&gt;</c> runs as written (with
/// <c>kaggle-storage</c> and <c>dotnet run --project src/KaggleStorage.Tool --</c> meaning the built tool), the
/// blocks of one page in order in one fresh folder, as a reader following the page would, so the docs cannot drift
/// from the code. Blocks that need a cluster, Docker or credentials are not marked.
/// </summary>
public sealed partial class DocumentationSnippetTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    public static TheoryData<string> Pages()
    {
        var data = new TheoryData<string>();
        foreach (var file in DocumentFiles().Where(file => Runnable().IsMatch(File.ReadAllText(Repository.Combine(file)))))
        {
            data.Add(file);
        }

        return data;
    }

    [Fact]
    public void Docs_mark_runnable_snippets()
    {
        Assert.True(Pages().Count >= 3, "the docs lost their runnable snippets");
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public async Task Page_snippets_run_in_order_in_one_fresh_folder(string file)
    {
        var snippets = Runnable().Matches(File.ReadAllText(Repository.Combine(file)));
        for (var index = 0; index < snippets.Count; index++)
        {
            var snippet = snippets[index].Groups[1].Value
                .Replace("dotnet run --project src/KaggleStorage.Tool --", "kaggle-storage", StringComparison.Ordinal);
            var script = $"kaggle-storage() {{ dotnet '{ToolProcess.DllPath}' \"$@\"; }}\ncd '{_temp.Path}'\n{snippet}";

            var result = await Shell.RunAsync("bash", "-euo", "pipefail", "-c", script);

            Assert.True(result.ExitCode == 0, $"{file} snippet {index}:\n{snippet}\n{result}");
        }
    }

    [Fact]
    public async Task Every_command_has_a_page_whose_usage_is_its_current_help()
    {
        var help = await ToolProcess.RunAsync("--help");
        var commands = CommandNames().Matches(help.StdOut[help.StdOut.IndexOf("Commands:", StringComparison.Ordinal)..])
            .Select(m => m.Groups[1].Value).ToList();

        Assert.Contains("migrate", commands);
        foreach (var command in commands)
        {
            var page = Repository.Combine("docs", "commands", command + ".md");
            Assert.True(File.Exists(page), $"docs/commands/{command}.md is missing");
            var usage = UsageBlock().Match(File.ReadAllText(page)).Groups[1].Value.TrimEnd();
            var current = (await ToolProcess.RunAsync(command, "--help")).StdOut.TrimEnd();
            Assert.True(usage == current, $"docs/commands/{command}.md shows an outdated --help; regenerate it:\n{current}");
        }
    }

    [GeneratedRegex(@"^  ([a-z]+)\b", RegexOptions.Multiline)]
    private static partial Regex CommandNames();

    [GeneratedRegex(@"## Usage\s*```text\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex UsageBlock();

    private static IEnumerable<string> DocumentFiles() =>
        new[] { "README.md" }.Concat(Directory.GetFiles(Repository.Combine("docs"), "*.md").Select(p => Path.Combine("docs", Path.GetFileName(p))))
            .Order(StringComparer.Ordinal);

    [GeneratedRegex(@"<!-- runnable -->\s*```bash\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Runnable();
}
