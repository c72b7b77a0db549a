using KaggleStorage.IO;
using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class ScrubCommand
{
    public static Command Create(CommandRunner runner)
    {
        var days = NumberOptions.OptionalWholeNumber("--days", "Read this many archives, those proven least recently; default enough that every archive is read once per KaggleStorage:Scrub:CycleDays (30).", 1, 100_000);
        var json = new Option<bool>("--json") { Description = "Print the per-archive results as one JSON document on stdout." };
        var command = new Command(
            "scrub",
            "Read the least recently verified archives end to end (gzip, tar headers, every entry against the index, the archive's hash) and record when each was proven. Exit 1 naming every damaged or missing archive.")
        {
            days, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var asJson = parseResult.GetValue(json);
            var output = runner.Console.Out;
            var scrub = services.GetRequiredService<ScrubService>();
            var plan = await scrub.PlanAsync(parseResult.GetValue(days), cancellationToken);
            ScrubResult result;
            using (var line = new ProgressLine(runner.Console, toError: asJson))
            {
                var progress = new SynchronousProgress<OperationProgress>(p =>
                {
                    if (p.Lines.Count == 0)
                    {
                        line.Update($"{ProgressLine.Bar((double)p.FilesDone / p.FilesTotal)} {p.FilesDone + 1}/{p.FilesTotal} reading {p.Current}");
                    }
                    else if (!asJson)
                    {
                        line.Clear();
                        foreach (var text in p.Lines)
                        {
                            output.WriteLine(text);
                        }
                    }
                });
                result = await scrub.ExecuteAsync(plan, progress, cancellationToken);
            }

            if (asJson)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.ScrubResult));
            }
            else
            {
                var failed = result.Archives.Count(a => a.Failed);
                await output.WriteLineAsync(
                    $"Scrubbed {result.Archives.Count(a => a.Status != "skipped")} of {Quantity.Of(plan.ArchiveCount, "archive")}"
                    + $" ({plan.Overdue} overdue for the cycle of {Quantity.Of(plan.CycleDays, "day")}): "
                    + (failed == 0 ? "no problems." : $"{failed} damaged or missing."));
            }

            return result.IsValid ? ExitCodes.Success : ExitCodes.OperationFailed;
        }));
        return command;
    }
}
