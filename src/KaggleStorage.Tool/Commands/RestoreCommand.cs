using KaggleStorage.IO;
using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class RestoreCommand
{
    public static Command Create(CommandRunner runner)
    {
        var date = new Argument<string>("date") { Description = "The day to restore, YYYYMMDD." };
        var into = new Option<string?>("--into") { Description = "Restore under this folder instead of the store root." };
        var force = new Option<bool>("--force") { Description = "Replace files that already exist." };
        var file = new Option<string[]>("--file")
        {
            Description = "Restore only this file (repeat for more): a name in raw/YYYYMMDD (price_file_x.csv) or a path relative to the root (processed/YYYYMMDD/load_summary.json). Needs --into.",
        };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON document on stdout." };
        var command = new Command(
            "restore",
            "Extract the day's YYYYMMDD.tar.gz from the archive store back into raw/ and processed/ (or --into a folder). Refuses unsafe archives whole and never overwrites without --force.")
        {
            date, into, force, file, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var result = await services.GetRequiredService<ArchiveRestorer>().RestoreAsync(
                PartitionDate.Parse(parseResult.GetRequiredValue(date)),
                parseResult.GetValue(into),
                parseResult.GetValue(file),
                parseResult.GetValue(force),
                cancellationToken);
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.RestoreResult));
            }
            else
            {
                await runner.Console.Out.WriteLineAsync(
                    $"Restored {Quantity.Of(result.FilesRestored, "file")} of {result.Date} into {result.Target}"
                    + (result.FilesReplaced > 0 ? $", {result.FilesReplaced} replaced" : string.Empty)
                    + (result.FilesAlreadyPresent > 0 ? $", {result.FilesAlreadyPresent} already present and identical" : string.Empty) + ".");
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
