using System.CommandLine;
using KaggleStorage.Tool.Commands;

namespace KaggleStorage.Tool;

/// <summary>The <c>kaggle-storage</c> command tree: parse, call the library, print.</summary>
internal sealed class KaggleStorageCommandLine
{
    private readonly ToolConsole _console;
    private readonly RootCommand _root;

    public KaggleStorageCommandLine(TextWriter output, TextWriter error, bool interactive = false)
    {
        _console = new ToolConsole(output, error, interactive);
        var globals = new GlobalOptions();
        var runner = new CommandRunner(globals, _console);
        _root = new RootCommand(
            "Manage the shared store of the Kaggle dataset erlichsefi/israeli-supermarkets-2024.\n" +
            "Root: --root, else KaggleStorage:Root (env KaggleStorage__Root), else KAGGLE_DATA_ROOT, else /data/kaggle.\n" +
            "Exit codes: 0 success, 1 the operation failed, 2 bad usage or input.")
        {
            globals.Root,
            globals.Verbose,
            InitCommand.Create(runner),
            StatusCommand.Create(runner),
            PathCommand.Create(runner),
            CatCommand.Create(runner),
            DownloadCommand.Create(runner),
            MigrateCommand.Create(runner),
            RollbackCommand.Create(runner),
            ArchiveCommand.Create(runner),
            VerifyCommand.Create(runner),
            ScrubCommand.Create(runner),
            RestoreCommand.Create(runner),
            PruneCommand.Create(runner),
            DemoCommand.Create(runner),
        };
    }

    public async Task<int> InvokeAsync(IReadOnlyList<string> args, CancellationToken cancellationToken = default)
    {
        var parseResult = _root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            // The contract says bad usage is exit 2; the parser's own default would be 1.
            // One line, like every other error: the hint rides on it rather than a second line a log splits apart.
            var message = string.Join(" ", parseResult.Errors.Select(error => error.Message.ReplaceLineEndings(" ")));
            return await _console.FailAsync($"{message} (run 'kaggle-storage --help' for usage)", ExitCodes.BadInput, ToolConsole.WantsJson(parseResult));
        }

        // Failures of a command are rendered by CommandRunner; what escapes it (a closed pipe under --help) is the
        // program's to end quietly, not the parser's to print as a stack trace.
        var configuration = new InvocationConfiguration { Output = _console.Out, Error = _console.Error, EnableDefaultExceptionHandler = false };
        return await parseResult.InvokeAsync(configuration, cancellationToken);
    }
}
