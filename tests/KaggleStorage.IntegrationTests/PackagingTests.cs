using System.IO.Compression;
using System.Reflection;
using System.Reflection.Metadata;
using System.Text;
using System.Text.Json;
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
        // Prefix and suffix, not PackageVersion: the version CI sets must win over the one in Directory.Build.props.
        var suffix = $"test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var version = $"0.0.0-{suffix}";
        var feed = _temp.Combine("feed");

        var pack = await Shell.RunAsync(
            "dotnet", "pack", Repository.Combine("src", "KaggleStorage", "KaggleStorage.csproj"), "-c", Repository.Configuration, "--no-build", "-o", feed,
            "-p:VersionPrefix=0.0.0", $"-p:VersionSuffix={suffix}");

        Assert.True(pack.ExitCode == 0, pack.ToString());
        using var package = ZipFile.OpenRead(Path.Combine(feed, $"KaggleStorage.{version}.nupkg"));
        var entries = package.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("README.md", entries);
        Assert.Contains("lib/net10.0/KaggleStorage.dll", entries);
        Assert.Contains("lib/net10.0/KaggleStorage.xml", entries);
        var metadata = Metadata(package);
        Assert.Equal(version, Element(metadata, "version").Value);
        var license = Element(metadata, "license");
        Assert.Equal(("expression", "MIT"), (license.Attribute("type")?.Value, license.Value));
        Assert.Equal("README.md", Element(metadata, "readme").Value);
        Assert.Equal("https://github.com/super-zol/kaggle-storage", Element(metadata, "projectUrl").Value);
        var repository = Element(metadata, "repository");
        Assert.Equal(("git", "https://github.com/super-zol/kaggle-storage"), (repository.Attribute("type")?.Value, repository.Attribute("url")?.Value));

        // nuget.org shows the packed README on its own: it must be the package's, every link absolute.
        using var readme = new StreamReader(package.GetEntry("README.md")!.Open());
        var text = await readme.ReadToEndAsync();
        Assert.Equal(await File.ReadAllTextAsync(Repository.Combine("src", "KaggleStorage", "README.md")), text);
        var links = System.Text.RegularExpressions.Regex.Matches(text, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));
        Assert.Contains(links, link => link.EndsWith("/docs/library.md", StringComparison.Ordinal));

        // SourceLink: the symbols' PDB maps the repository to raw files of the commit that was built.
        using var symbols = ZipFile.OpenRead(Path.Combine(feed, $"KaggleStorage.{version}.snupkg"));
        // The commit the packed build was made from (its informational version ends with it), not today's HEAD,
        // which a commit after the build would move.
        var built = typeof(KaggleStorage.Hosting.KaggleStorageServiceCollectionExtensions).Assembly
            .GetCustomAttribute<System.Reflection.AssemblyInformationalVersionAttribute>()!.InformationalVersion;
        var commit = built[(built.IndexOf('+', StringComparison.Ordinal) + 1)..];
        Assert.Matches("^[0-9a-f]{40}$", commit);
        Assert.Equal(0, (await Shell.RunAsync("git", "-C", Repository.Root, "cat-file", "-e", commit + "^{commit}")).ExitCode);
        var sourceLink = await SourceLinkAsync(symbols, "lib/net10.0/KaggleStorage.pdb");
        var documents = JsonDocument.Parse(sourceLink).RootElement.GetProperty("documents").EnumerateObject().Select(p => p.Value.GetString()).ToList();
        Assert.Contains($"https://raw.githubusercontent.com/super-zol/kaggle-storage/{commit}/*", documents);
    }

    [Fact]
    public async Task S3_package_depends_on_the_library_and_the_AWS_SDK_and_the_library_does_not()
    {
        var suffix = $"test.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        var version = $"0.0.0-{suffix}";
        var feed = _temp.Combine("feed");
        foreach (var project in new[] { "KaggleStorage", "KaggleStorage.S3" })
        {
            var pack = await Shell.RunAsync(
                "dotnet", "pack", Repository.Combine("src", project, project + ".csproj"), "-c", Repository.Configuration, "--no-build", "-o", feed,
                "-p:VersionPrefix=0.0.0", $"-p:VersionSuffix={suffix}");
            Assert.True(pack.ExitCode == 0, pack.ToString());
        }

        using var library = ZipFile.OpenRead(Path.Combine(feed, $"KaggleStorage.{version}.nupkg"));
        var libraryDependencies = Dependencies(Metadata(library));
        Assert.Contains("System.IO.Abstractions", libraryDependencies.Keys);
        Assert.DoesNotContain(libraryDependencies.Keys, id => id.StartsWith("AWSSDK", StringComparison.OrdinalIgnoreCase));

        using var s3 = ZipFile.OpenRead(Path.Combine(feed, $"KaggleStorage.S3.{version}.nupkg"));
        var metadata = Metadata(s3);
        var dependencies = Dependencies(metadata);
        Assert.Equal(["AWSSDK.S3", "KaggleStorage"], dependencies.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(version, dependencies["KaggleStorage"]);
        Assert.Equal(version, Element(metadata, "version").Value);
        Assert.Equal("README.md", Element(metadata, "readme").Value);
        Assert.Equal("https://github.com/super-zol/kaggle-storage", Element(metadata, "repository").Attribute("url")?.Value);
        var entries = s3.Entries.Select(e => e.FullName).ToList();
        Assert.Contains("lib/net10.0/KaggleStorage.S3.dll", entries);
        Assert.Contains("lib/net10.0/KaggleStorage.S3.xml", entries);
        Assert.DoesNotContain("lib/net10.0/KaggleStorage.dll", entries);

        // Its own nuget.org page: this package's README, every link absolute.
        using var readme = new StreamReader(s3.GetEntry("README.md")!.Open());
        var text = await readme.ReadToEndAsync();
        Assert.Equal(await File.ReadAllTextAsync(Repository.Combine("src", "KaggleStorage.S3", "README.md")), text);
        var links = System.Text.RegularExpressions.Regex.Matches(text, @"\]\(([^)]+)\)").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(links);
        Assert.All(links, link => Assert.StartsWith("https://", link, StringComparison.Ordinal));

        using var symbols = ZipFile.OpenRead(Path.Combine(feed, $"KaggleStorage.S3.{version}.snupkg"));
        var sourceLink = await SourceLinkAsync(symbols, "lib/net10.0/KaggleStorage.S3.pdb");
        Assert.Contains("https://raw.githubusercontent.com/super-zol/kaggle-storage/", sourceLink, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Library_package_repository_and_version_come_from_properties_CI_can_set()
    {
        var feed = _temp.Combine("feed");

        var pack = await Shell.RunAsync(
            "dotnet", "pack", Repository.Combine("src", "KaggleStorage", "KaggleStorage.csproj"), "-c", Repository.Configuration, "--no-build", "-o", feed,
            "-p:Version=9.8.7", "-p:RepositoryUrl=https://github.com/example/fork");

        Assert.True(pack.ExitCode == 0, pack.ToString());
        using var package = ZipFile.OpenRead(Path.Combine(feed, "KaggleStorage.9.8.7.nupkg"));
        var metadata = Metadata(package);
        Assert.Equal("9.8.7", Element(metadata, "version").Value);
        Assert.Equal("https://github.com/example/fork", Element(metadata, "repository").Attribute("url")?.Value);
        Assert.Equal("https://github.com/example/fork", Element(metadata, "projectUrl").Value);
    }

    private static XElement Metadata(ZipArchive package)
    {
        using var nuspec = package.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return Element(XDocument.Load(nuspec).Root!, "metadata");
    }

    /// <summary>Every dependency of every target framework group, by id, with its version range as written.</summary>
    private static Dictionary<string, string> Dependencies(XElement metadata) =>
        Element(metadata, "dependencies").Descendants().Where(e => e.Name.LocalName == "dependency")
            .GroupBy(e => e.Attribute("id")!.Value, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First().Attribute("version")!.Value, StringComparer.Ordinal);

    private static XElement Element(XElement parent, string name) =>
        parent.Elements().SingleOrDefault(e => e.Name.LocalName == name) ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>");

    private static async Task<string> SourceLinkAsync(ZipArchive symbols, string pdb)
    {
        // The PDB's SourceLink custom debug information (the well-known kind GUID of the portable PDB format).
        var kind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        using var copy = new MemoryStream();
        await using (var entry = symbols.GetEntry(pdb)!.Open())
        {
            await entry.CopyToAsync(copy);
        }

        copy.Position = 0;
        using var provider = MetadataReaderProvider.FromPortablePdbStream(copy);
        var reader = provider.GetMetadataReader();
        var blob = reader.CustomDebugInformation.Select(reader.GetCustomDebugInformation)
            .Where(info => reader.GetGuid(info.Kind) == kind)
            .Select(info => reader.GetBlobBytes(info.Value))
            .SingleOrDefault();
        Assert.True(blob is not null, $"{pdb} has no SourceLink");
        return Encoding.UTF8.GetString(blob);
    }

    private static Task<ToolResult> PackAsync(string project, string output, string version) =>
        // --no-build packs what the test run already built, so the build outputs other tests run are not rewritten.
        Shell.RunAsync("dotnet", "pack", Repository.Combine(project), "-c", Repository.Configuration, "--no-build", "-o", output, $"-p:PackageVersion={version}");
}
