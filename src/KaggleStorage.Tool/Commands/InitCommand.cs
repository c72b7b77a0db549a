using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class InitCommand
{
    public static Command Create(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print the result as JSON on stdout." };
        var command = new Command("init", "Create the store root and its five areas (raw, processed, reports, metadata, archive). Safe to repeat.")
        {
            json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var layout = services.GetRequiredService<StorageLayout>();
            var created = await layout.InitializeAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(new InitDocument(layout.Root, created), ToolJsonContext.Output.InitDocument));
            }
            else if (created.Count == 0)
            {
                await runner.Console.Out.WriteLineAsync($"Store {layout.Root} is already initialized.");
            }
            else
            {
                await runner.Console.Out.WriteLineAsync(
                    $"Initialized {layout.Root}: created {string.Join(", ", created.Select(a => a.GetFolderName() + "/"))}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
