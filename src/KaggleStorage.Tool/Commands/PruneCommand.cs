using KaggleStorage.IO;
using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Retention;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class PruneCommand
{
    private const int ItemsShown = 30;

    public static Command Create(CommandRunner runner)
    {
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would be archived, deleted and kept, and why; change nothing." };
        var json = new Option<bool>("--json") { Description = "Print the plan or result as one JSON document on stdout." };
        var command = new Command(
            "prune",
            "Apply retention (raw and processed 90 days, reports and metadata 365, archives 365; the newest 7 raw and processed days always kept). A day is deleted only after its archive is verified. Exit 1 if anything planned could not be done.")
        {
            dryRun, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            using var line = new ProgressLine(runner.Console, toError: parseResult.GetValue(json));
            var progress = new SynchronousProgress<OperationProgress>(p => line.Update($"{ProgressLine.Bar(p.FilesTotal == 0 ? 1 : (double)p.FilesDone / p.FilesTotal)} {p.FilesDone}/{p.FilesTotal} {Path.GetFileName(p.Current)}"));
            var prune = services.GetRequiredService<PruneService>();
            var plan = await prune.PlanAsync(cancellationToken);
            if (parseResult.GetValue(dryRun))
            {
                if (parseResult.GetValue(json))
                {
                    await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(plan, ToolJsonContext.Output.PrunePlan));
                }
                else
                {
                    WritePlan(runner.Console.Out, plan, dryRun: true);
                }

                return ExitCodes.Success;
            }

            var result = await prune.ExecuteAsync(plan, progress, cancellationToken);
            line.Dispose();
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.PruneResult));
            }
            else
            {
                WriteText(runner.Console.Out, result);
            }

            return result.Failures.Count == 0 ? ExitCodes.Success : ExitCodes.OperationFailed;
        }));
        return command;
    }

    private static void WriteText(TextWriter output, PruneResult result)
    {
        WritePlan(output, result.Plan, dryRun: false);
        WriteOutcome(output, result);
    }

    private static void WritePlan(TextWriter output, PrunePlan plan, bool dryRun)
    {
        output.WriteLine($"Retention as of {plan.Today}{(dryRun ? " (dry run: nothing changes)" : string.Empty)}:");
        foreach (var area in AreaPrunePreview.From(plan).Where(a => a.Keep + a.Delete + a.ArchiveThenDelete > 0))
        {
            output.WriteLine(
                $"  {area.Area.GetFolderName(),-10} keep {area.Keep,5}   delete {area.Delete,5}   archive then delete {area.ArchiveThenDelete,5}   {ByteCount.Format(area.BytesToFree),10}");
        }

        var removals = plan.Removals.ToList();
        foreach (var item in removals.Take(ItemsShown))
        {
            var verb = item.Decision == PruneDecision.ArchiveThenDelete ? "archive+delete" : "delete";
            output.WriteLine($"  {verb,-14} {item.Path}: {item.Reason}");
        }

        if (removals.Count > ItemsShown)
        {
            output.WriteLine($"  ... and {removals.Count - ItemsShown} more (use --json for all)");
        }

        foreach (var warning in plan.Warnings)
        {
            output.WriteLine($"warning: {warning}");
        }

        foreach (var entry in plan.UnknownEntries)
        {
            output.WriteLine($"  left alone (not part of the layout): {entry}");
        }
    }

    private static void WriteOutcome(TextWriter output, PruneResult result)
    {
        if (result.LeftoversCleared > 0)
        {
            output.WriteLine($"Removed {Quantity.Of(result.LeftoversCleared, "leftover")} of interrupted runs (.trash/, .staging/, unfinished uploads).");
        }

        if (result.Archived.Count > 0)
        {
            output.WriteLine(result.Archived.Count <= 5
                ? $"Archived first: {string.Join(", ", result.Archived)}."
                : $"Archived first: {Quantity.Of(result.Archived.Count, "day")}, {result.Archived[0]} to {result.Archived[^1]}.");
        }

        foreach (var failure in result.Failures)
        {
            output.WriteLine($"KEPT {failure.Item.Path}: {failure.Error}");
        }

        output.WriteLine($"Removed {result.Removed.Count} entr{(result.Removed.Count == 1 ? "y" : "ies")}, freed {ByteCount.Format(result.BytesFreed)}; {result.Failures.Count} kept because of errors.");
    }
}
