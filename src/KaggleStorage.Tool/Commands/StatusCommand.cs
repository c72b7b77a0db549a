using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class StatusCommand
{
    public static Command Create(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print the full status as one JSON document on stdout." };
        var command = new Command(
            "status",
            "Show days per area, sizes, archive and manifest state of every day, missing days, stray entries and the lock.")
        {
            json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var status = await services.GetRequiredService<StoreStatusScanner>().ScanAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(status, ToolJsonContext.Default.StoreStatus));
            }
            else
            {
                StatusRenderer.Write(runner.Console.Out, status);
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
