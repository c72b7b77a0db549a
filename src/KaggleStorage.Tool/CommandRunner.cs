using System.CommandLine;
using KaggleStorage.Errors;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tool;

/// <summary>
/// Runs a command's body with the library's services and turns failures into the tool's contract: one line on
/// stderr (stack trace only with --verbose) and exit code 1 for a failed operation, 2 for bad input.
/// </summary>
internal sealed class CommandRunner(GlobalOptions globals, ToolConsole console)
{
    public ToolConsole Console => console;

    public GlobalOptions Globals => globals;

    public async Task<int> RunAsync(
        ParseResult parseResult,
        Func<IServiceProvider, Task<int>> body,
        string? rootOverride = null)
    {
        var verbose = parseResult.GetValue(globals.Verbose);
        try
        {
            await using var services = ToolServices.Build(rootOverride ?? parseResult.GetValue(globals.Root), verbose, console.Error);
            return await body(services);
        }
        catch (Exception exception) when (OutputClosedException.IsCause(exception))
        {
            // Nobody reads stdout or stderr any more: an error line or a JSON document would be one more broken write.
            return ExitCodes.OutputClosed;
        }
        catch (Exception exception)
        {
            var exitCode = await console.FailAsync(Describe(exception), Classify(exception), ToolConsole.WantsJson(parseResult));
            if (verbose)
            {
                await console.Error.WriteLineAsync(exception.ToString());
            }

            return exitCode;
        }
    }

    private static int Classify(Exception exception) => exception switch
    {
        OperationCanceledException => ExitCodes.OperationFailed,
        // Bad input: the caller's words or configuration (a missing day is StorageNotFoundException, one of these).
        // An ArgumentException is not among them: from inside the library it is a bug, and says so as exit 1.
        OptionsValidationException or StorageInputException or FormatException
            or InvalidOperationException { Source: "Microsoft.Extensions.Configuration.Binder" }
            or DirectoryNotFoundException => ExitCodes.BadInput,

        // Tried and failed: locked, a mismatch that was refused, damaged or unsafe data, I/O.
        StoreLockedException or StorageMismatchException or StorageOperationException or ManifestFormatException
            or IOException or UnauthorizedAccessException or InvalidDataException => ExitCodes.OperationFailed,
        _ => ExitCodes.OperationFailed,
    };

    private static string Describe(Exception exception) => exception switch
    {
        OperationCanceledException => "cancelled; nothing was left half-written under a final name.",
        OptionsValidationException options => "invalid configuration: " + string.Join(" ", options.Failures),
        _ => Rendering.FlagWording.ForTool(exception.Message.ReplaceLineEndings(" ")),
    };
}
