using System.CommandLine;
using KaggleStorage.Migration;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class RollbackCommand
{
    public static Command Create(CommandRunner runner)
    {
        var to = new Option<string>("--to") { Description = "The legacy data folder to copy back into (kaggle_raw/, reports/, metadata/ are created under it).", Required = true };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan; write nothing." };
        var json = new Option<bool>("--json") { Description = "Print the plan or result as one JSON document on stdout." };
        var command = new Command(
            "rollback",
            "Copy migrated days (from the newest migration journal, else every raw day) back into the legacy layout, verified. Nothing is deleted from the store.")
        {
            to, dryRun, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var asJson = parseResult.GetValue(json);
            using var live = new LiveMigrationOutput(runner.Console, asJson);
            var result = await services.GetRequiredService<RollbackService>().RollbackAsync(
                parseResult.GetRequiredValue(to),
                parseResult.GetValue(dryRun),
                live,
                cancellationToken);
            live.Dispose();
            return await MigrateCommand.RenderAsync(runner, result, asJson, live.PlanShown);
        }));
        return command;
    }
}
