using System.IO.Compression;
using System.Xml.Linq;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

public sealed class PackagingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Packed_tool_installs_with_dotnet_tool_install_and_runs()
    {
        // A version no earlier run used, so the NuGet cache cannot hand back a stale package.
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = _temp.Combine("feed");
        var pack = await PackAsync("src/KaggleStorage.Tool/KaggleStorage.Tool.csproj", feed, version);
        Assert.True(pack.ExitCode == 0, pack.ToString());

        var tools = _temp.Combine("tools");
        var install = await Shell.RunAsync(
            "dotnet", "tool", "install", "--tool-path", tools, "--add-source", feed, "--ignore-failed-sources", "--version", version, "KaggleStorage.Tool");
        Assert.True(install.ExitCode == 0, install.ToString());

        var tool = Path.Combine(tools, "kaggle-storage");
        var help = await Shell.RunAsync(tool, "--help");
        var store = _temp.Combine("store");
        var init = await Shell.RunAsync(tool, "--root", store, "init");

        Assert.True(help.ExitCode == 0, help.ToString());
        Assert.Contains("kaggle-storage", help.StdOut, StringComparison.Ordinal);
        Assert.Contains("migrate", help.StdOut, StringComparison.Ordinal);
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Equal(
            new[] { "archive", "metadata", "processed", "raw", "reports" },
            Directory.GetDirectories(store).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Getting_started_install_commands_pack_install_and_run_the_tool()
    {
        // The page's own commands, with the two changes a test needs: the build already made is packed
        // (--no-build, a fresh version so no cache hands back a stale package) and the tool goes to a temp folder.
        var page = await File.ReadAllTextAsync(Repository.Combine("docs", "getting-started.md"));
        var block = System.Text.RegularExpressions.Regex.Match(page, @"<!-- install -->\s*```bash\n(.*?)```", System.Text.RegularExpressions.RegexOptions.Singleline);
        Assert.True(block.Success, "docs/getting-started.md lost its install block");
        var lines = block.Groups[1].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var (packLine, installLine, runLine) = (lines[0], lines[1], lines[2]);
        Assert.StartsWith("dotnet pack src/KaggleStorage.Tool -c Release -o artifacts/packages", packLine, StringComparison.Ordinal);
        Assert.Equal("dotnet tool install --global KaggleStorage.Tool --add-source artifacts/packages", installLine);
        Assert.Equal("kaggle-storage --help", runLine);

        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var work = _temp.Combine("reader");
        var feed = Path.Combine(work, "artifacts", "packages");
        var tools = _temp.Combine("tools");
        var pack = await Shell.RunAsync("dotnet", "pack", Repository.Combine("src", "KaggleStorage.Tool"), "-c", Repository.Configuration, "--no-build", "-o", feed, $"-p:PackageVersion={version}");
        Assert.True(pack.ExitCode == 0, pack.ToString());
        var install = await Shell.RunAsync(
            "bash", "-c", $"cd '{work}' && {installLine.Replace("--global", $"--tool-path '{tools}'", StringComparison.Ordinal)} --version {version} --ignore-failed-sources");
        Assert.True(install.ExitCode == 0, install.ToString());
        var run = await Shell.RunAsync(Path.Combine(tools, "kaggle-storage"), "--help");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Contains("demo", run.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Library_package_carries_readme_license_docs_and_symbols()
    {
        var version = $"0.0.0-test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var feed = _temp.Combine("feed");

        var pack = await PackAsync("src/KaggleStorage/KaggleStorage.csproj", feed, version);

        Assert.True(pack.ExitCode == 0, pack.ToString());
        using var package = ZipFile.OpenRead(Path.Combine(feed, $"KaggleStorage.{version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/KaggleStorage.dll", entries);
        Assert.Contains("lib/net10.0/KaggleStorage.xml", entries);
        using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        var metadata = XDocument.Load(nuspec).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        var license = metadata.Elements().Single(e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));
        Assert.Equal("README.md", metadata.Elements().Single(e => e.Name.LocalName == "readme").Value);
        Assert.True(File.Exists(Path.Combine(feed, $"KaggleStorage.{version}.snupkg")));
    }

    private static Task<ToolResult> PackAsync(string project, string output, string version) =>
        // --no-build packs what the test run already built, so the build outputs other tests run are not rewritten.
        Shell.RunAsync("dotnet", "pack", Repository.Combine(project), "-c", Repository.Configuration, "--no-build", "-o", output, $"-p:PackageVersion={version}");
}
