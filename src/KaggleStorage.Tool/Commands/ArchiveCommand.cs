using KaggleStorage.IO;
using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class ArchiveCommand
{
    public static Command Create(CommandRunner runner)
    {
        var dates = new Argument<string[]>("dates") { Description = "Days to archive, YYYYMMDD.", Arity = ArgumentArity.ZeroOrMore };
        var olderThan = NumberOptions.OptionalWholeNumber("--older-than", "Archive every day older than this many days that has no archive or a stale one (live files newer than it or not in it).", 0, 36_500);
        var all = new Option<bool>("--all") { Description = "Archive every day that has no archive or a stale one." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Show which days would be archived; write nothing." };
        var force = new Option<bool>("--force") { Description = "Let live files win over archived copies that differ from them without being newer. Files only in the old archive are always carried over: an archive never holds less." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON document on stdout." };
        var command = new Command(
            "archive",
            "Write YYYYMMDD.tar.gz (raw + processed of the day, standard tar + gzip, openable with 'tar xzf') with an index next to it into the archive store: archive/ on the volume, or the S3 bucket of KaggleStorage:Archive. Exit 1 if any day failed.")
        {
            dates, olderThan, all, dryRun, force, json,
        };
        command.Validators.Add(result =>
        {
            // Presence, not values: a value that does not parse is reported by its own parser.
            var chosen = (result.GetValue(dates)?.Length > 0 ? 1 : 0) + (result.GetResult(olderThan) is { Implicit: false } ? 1 : 0) + (result.GetValue(all) ? 1 : 0);
            if (chosen != 1)
            {
                result.AddError("Give exactly one of: one or more YYYYMMDD days, --older-than <days>, or --all.");
            }
        });
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var asJson = parseResult.GetValue(json);
            using var line = new ProgressLine(runner.Console, toError: asJson);
            var progress = new SynchronousProgress<OperationProgress>(p =>
            {
                if (p.Lines.Count == 0 && p.Errors.Count == 0)
                {
                    var total = p.BytesTotal ?? 0;
                    line.Update(
                        $"{ProgressLine.Bar(total == 0 ? 1 : (double)p.BytesDone / total)} {p.Current} ({p.FilesDone + 1}/{p.FilesTotal}) {ByteCount.Format(p.BytesDone)} of {ByteCount.Format(total)}");
                    return;
                }

                // Each day is told as soon as it is done, so a log shows live work and a cancelled run still shows
                // the days it finished. A failure is an error like any other: on stderr, also under --json.
                line.Clear();
                foreach (var error in p.Errors)
                {
                    runner.Console.Error.WriteLine($"error: {FlagWording.ForTool(error)}");
                }

                if (!asJson)
                {
                    foreach (var text in p.Lines)
                    {
                        runner.Console.Out.WriteLine(text);
                    }
                }
            });
            var archives = services.GetRequiredService<ArchiveService>();
            var plan = parseResult.GetValue(dates) is { Length: > 0 } listed
                ? await archives.PlanAsync(listed.Select(PartitionDate.Parse), cancellationToken)
                : await archives.PlanUnarchivedAsync(parseResult.GetValue(olderThan), cancellationToken);
            if (parseResult.GetValue(dryRun))
            {
                await WritePlanAsync(runner.Console.Out, plan, asJson);
                return ExitCodes.Success;
            }

            var result = await archives.ExecuteAsync(plan, parseResult.GetValue(force), progress, cancellationToken);
            line.Dispose();

            if (asJson)
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.ArchiveRunResult));
            }
            else
            {
                WriteSummary(runner.Console.Out, result);
            }

            return result.HasFailures ? ExitCodes.OperationFailed : ExitCodes.Success;
        }));
        return command;
    }

    private static void WriteSummary(TextWriter output, ArchiveRunResult result)
    {
        if (result.Outcomes.Count == 0)
        {
            output.WriteLine("Nothing to archive.");
            return;
        }

        var failed = result.Outcomes.Count(o => o.Status == "failed");
        output.WriteLine(failed == 0
            ? $"Archived {Quantity.Of(result.Outcomes.Count, "day")}."
            : $"Archived {result.Outcomes.Count - failed} of {Quantity.Of(result.Outcomes.Count, "day")}; {failed} failed.");
    }

    private static async Task WritePlanAsync(TextWriter output, ArchivePlan plan, bool asJson)
    {
        if (asJson)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(plan, ToolJsonContext.Output.ArchivePlan));
            return;
        }

        foreach (var day in plan.Days)
        {
            await output.WriteLineAsync($"would archive {day.Date} ({ByteCount.Format(day.SourceBytes)}) to {day.ArchiveLocation}");
        }

        await output.WriteLineAsync(plan.Days.Count == 0 ? "Nothing to archive. Dry run: nothing was written." : "Dry run: nothing was written.");
    }
}
