using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Migration;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class MigrateCommand
{
    public static Command Create(CommandRunner runner)
    {
        var from = new Option<string>("--from") { Description = "The legacy data folder (e.g. jobs/fetch-kaggle/data, holding kaggle_raw/) or its kaggle_raw folder.", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (copy, skip, conflict per day and file); write nothing." };
        var deleteSource = new Option<bool>("--delete-source") { Description = "Delete each legacy day once its copy is verified. Never the default." };
        var json = new Option<bool>("--json") { Description = "Print the plan or result as one JSON document on stdout." };
        var command = new Command(
            "migrate",
            "Copy the legacy job-local layout into the shared store, verified by SHA-256, journaled in metadata/migrations/. Conflicts are never overwritten (exit 1).")
        {
            from, dryRun, deleteSource, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var asJson = parseResult.GetValue(json);
            using var live = new LiveMigrationOutput(runner.Console, asJson);
            var result = await services.GetRequiredService<MigrationService>().MigrateAsync(
                parseResult.GetRequiredValue(from),
                parseResult.GetValue(dryRun),
                parseResult.GetValue(deleteSource),
                live,
                cancellationToken);
            live.Dispose();
            return await RenderAsync(runner, result, asJson, live.PlanShown);
        }));
        return command;
    }

    internal static async Task<int> RenderAsync(CommandRunner runner, MigrationResult result, bool json, bool planShown)
    {
        if (json)
        {
            await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.MigrationResult));
        }
        else
        {
            MigrationRenderer.Write(runner.Console.Out, result, planShown);
        }

        var failed = result.DryRun ? result.Conflicts > 0 : !result.Succeeded;
        return failed ? ExitCodes.OperationFailed : ExitCodes.Success;
    }
}
