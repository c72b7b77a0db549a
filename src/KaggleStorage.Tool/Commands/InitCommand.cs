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
            var result = await services.GetRequiredService<StorageLayout>().InitializeAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.StoreInitialization));
            }
            else if (result.CreatedAreas.Count == 0)
            {
                await runner.Console.Out.WriteLineAsync($"Store {result.Root} is already initialized.");
            }
            else
            {
                await runner.Console.Out.WriteLineAsync(
                    $"Initialized {result.Root}: created {string.Join(", ", result.CreatedAreas.Select(a => a.GetFolderName() + "/"))}.");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
