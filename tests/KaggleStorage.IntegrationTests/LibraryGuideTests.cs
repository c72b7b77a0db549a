using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Text.RegularExpressions;
using KaggleStorage.Hosting;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.Locking;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// The C# blocks of docs/library.md marked <c>&lt;!-- compiled --&gt;</c> are one program: compiled here with Roslyn
/// against the assemblies this test runs with, loaded, and run against a temporary store, so the guide cannot drift
/// from the library's public API or its behaviour.
/// </summary>
public sealed partial class LibraryGuideTests : IDisposable
{
    // The program writes to the process's Console; runs of it are serialized so their outputs do not mix.
    private static readonly SemaphoreSlim ConsoleGate = new(1, 1);
    private static readonly Lazy<Assembly> Program = new(CompileGuide);

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Guide_program_reads_a_live_day_checks_it_and_publishes_processed_day_twice()
    {
        var root = _temp.Combine("store");
        await SampleStore.WriteRawDayAsync(root, "20241026", 200_000);

        var first = await RunAsync("--KaggleStorage:Root", root, "--day", "20241026");
        var second = await RunAsync("--KaggleStorage:Root", root, "--day", "20241026");

        Assert.True(first.ExitCode == 0, first.ToString());
        var csvCount = Directory.GetFiles(Path.Combine(root, "raw", "20241026"), "*.csv").Length;
        Assert.Contains($"20241026: live, {csvCount + 1} files", first.Out, StringComparison.Ordinal);
        Assert.Contains("20241026: manifest Valid", first.Out, StringComparison.Ordinal);
        Assert.Matches(@"20241026: wrote processed/20241026 \([1-9][0-9]* rows\)", first.Out);
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Contains("20241026: replaced processed/20241026", second.Out, StringComparison.Ordinal);
        using var summary = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(root, "processed", "20241026", "load_summary.json")));
        Assert.Equal(csvCount, summary.RootElement.GetProperty("files").GetArrayLength());
        var staging = Path.Combine(root, ".staging");
        Assert.True(!Directory.Exists(staging) || Directory.GetFileSystemEntries(staging).Length == 0, "a staged folder was left behind");
    }

    [Fact]
    public async Task Guide_program_reads_an_archived_day_from_a_temporary_restore()
    {
        var root = _temp.Combine("store");
        await SampleStore.WriteRawDayAsync(root, "20241020", 200_000);
        var archive = await ToolProcess.RunAsync("--root", root, "archive", "20241020");
        Assert.True(archive.ExitCode == 0, archive.ToString());
        Directory.Delete(Path.Combine(root, "raw", "20241020"), recursive: true);
        var temporaryCopiesBefore = TemporaryCopies();

        var run = await RunAsync("--KaggleStorage:Root", root, "--day", "20241020");

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"20241020: archived, [1-9][0-9]* files", run.Out);
        Assert.Matches(@"20241020: [1-9][0-9]* files in the store, download_manifest.json [1-9][0-9]* characters", run.Out);
        Assert.Contains("20241020: manifest Valid", run.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(root, "processed", "20241020", "load_summary.json")));
        Assert.False(Directory.Exists(Path.Combine(root, "raw", "20241020")), "reading an archived day must not restore it into the store");
        Assert.Equal(temporaryCopiesBefore, TemporaryCopies());
    }

    [Fact]
    public async Task Guide_program_reports_an_unknown_day_a_held_lock_a_bad_manifest_and_a_bad_option()
    {
        var root = _temp.Combine("store");
        await SampleStore.WriteRawDayAsync(root, "20241026", 100_000);
        await SampleStore.WriteRawDayAsync(root, "20241027", 100_000, seed: 2);
        var firstCsv = Directory.GetFiles(Path.Combine(root, "raw", "20241027"), "*.csv").Order(StringComparer.Ordinal).First();
        await File.AppendAllTextAsync(firstCsv, "changed after the download\n");

        var unknown = await RunAsync("--KaggleStorage:Root", root, "--day", "20240101");
        var invalid = await RunAsync("--KaggleStorage:Root", root, "--day", "20241027");
        ToolRun locked;
        await using (var services = new ServiceCollection().AddKaggleStorage(o => o.Root = root).BuildServiceProvider())
        await using (await services.GetRequiredService<StoreLock>().AcquireAsync("nightly", CancellationToken.None))
        {
            locked = await RunAsync("--KaggleStorage:Root", root, "--day", "20241026");
        }

        var badOption = await RunAsync("--KaggleStorage:Root", root, "--KaggleStorage:LockWaitTimeout", "-00:00:01", "--day", "20241026");

        Assert.Equal(2, unknown.ExitCode);
        Assert.Matches(@"^error: There is no archive for 20240101 \(.*\)\.\n$", unknown.Error);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains("20241027: manifest Invalid", invalid.Out, StringComparison.Ordinal);
        Assert.StartsWith($"error: 20241027 is not loaded: {Path.GetFileName(firstCsv)}", invalid.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(root, "processed", "20241027")));
        Assert.Equal(1, locked.ExitCode);
        Assert.Matches(@"^error: The store is locked by .* \(nightly\) since .* Try again later\.\n$", locked.Error);
        Assert.False(Directory.Exists(Path.Combine(root, "processed", "20241026")));
        Assert.Equal(2, badOption.ExitCode);
        Assert.Contains("LockWaitTimeout must not be negative", badOption.Error, StringComparison.Ordinal);
    }

    private static string[] TemporaryCopies() =>
        Directory.GetDirectories(Path.GetTempPath(), "kaggle-day-*").Order(StringComparer.Ordinal).ToArray();

    private static async Task<ToolRun> RunAsync(params string[] arguments)
    {
        var entryPoint = Program.Value.EntryPoint!;
        await ConsoleGate.WaitAsync();
        var (originalOut, originalError) = (Console.Out, Console.Error);
        var (output, error) = (new StringWriter(), new StringWriter());
        try
        {
            Console.SetOut(output);
            Console.SetError(error);
            // Quiet host logs keep the program's own lines the only output.
            string[] args = [.. arguments, "--Logging:LogLevel:Default", "Warning"];
            var exitCode = await Task.Run(() => (int)entryPoint.Invoke(null, [args])!);
            return new ToolRun(exitCode, output.ToString(), error.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            ConsoleGate.Release();
        }
    }

    private static Assembly CompileGuide()
    {
        var page = File.ReadAllText(Repository.Combine("docs", "library.md"));
        var blocks = Compiled().Matches(page).Select(match => match.Groups[1].Value).ToList();
        Assert.True(blocks.Count >= 4, "docs/library.md lost its compiled blocks");

        // What a project with ImplicitUsings gives every file, then each block as its own file, in page order.
        var implicitUsings = "global using System; global using System.Collections.Generic; global using System.IO; global using System.Linq; global using System.Threading; global using System.Threading.Tasks;";
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new[] { implicitUsings }.Concat(blocks)
            .Select((text, index) => CSharpSyntaxTree.ParseText(text, parse, path: $"library.md#{index}"))
            .ToList();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Append(typeof(KaggleStorageServiceCollectionExtensions).Assembly.Location)
            .Distinct(StringComparer.Ordinal)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "LibraryGuide",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, generalDiagnosticOption: ReportDiagnostic.Error));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var problems = emitted.Diagnostics.Where(d => d.Severity >= DiagnosticSeverity.Warning).Select(d => d.ToString()).ToList();
        Assert.True(emitted.Success && problems.Count == 0, "docs/library.md does not compile:\n" + string.Join("\n", problems));
        image.Position = 0;
        return AssemblyLoadContext.Default.LoadFromStream(image);
    }

    [GeneratedRegex(@"<!-- compiled -->\s*```csharp\n(.*?)```", RegexOptions.Singleline)]
    private static partial Regex Compiled();

    private sealed record ToolRun(int ExitCode, string Out, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
    }
}
