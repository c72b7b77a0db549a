using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Status;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class StatusCommand
{
    public static Command Create(CommandRunner runner)
    {
        var json = new Option<bool>("--json") { Description = "Print the full status as one JSON document on stdout." };
        var check = new Option<bool>("--check")
        {
            Description = "Exit 1, with one line per reason, when the store is unhealthy: the newest raw day too old, an invalid manifest, a day that cannot be read or holds a link, fifo or name that is not UTF-8, a day prune must keep, a stale lock, or a steady state that does not fit the volume. For monitoring and probes.",
        };
        var command = new Command(
            "status",
            "Show days per area, sizes, archive and manifest state of every day, missing days, stray entries, the lock, and the volume's capacity under the retention policy.")
        {
            json, check,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var status = await services.GetRequiredService<StoreStatusScanner>().ScanAsync(cancellationToken);
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(status, ToolJsonContext.Output.StoreStatus));
            }
            else
            {
                StatusRenderer.Write(runner.Console.Out, status);
            }

            if (!parseResult.GetValue(check))
            {
                return ExitCodes.Success;
            }

            foreach (var problem in status.HealthProblems)
            {
                await runner.Console.Error.WriteLineAsync($"unhealthy: {problem}");
            }

            return status.HealthProblems.Count == 0 ? ExitCodes.Success : ExitCodes.OperationFailed;
        }));
        return command;
    }
}
