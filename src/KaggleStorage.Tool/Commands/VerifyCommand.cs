using KaggleStorage.IO;
using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class VerifyCommand
{
    public static Command Create(CommandRunner runner)
    {
        var dates = new Argument<string[]>("dates") { Description = "Days to verify, YYYYMMDD; default every day.", Arity = ArgumentArity.ZeroOrMore };
        var json = new Option<bool>("--json") { Description = "Print the report as one JSON document on stdout." };
        var command = new Command(
            "verify",
            "Check raw days against their download manifests (hashes included) and archives against their index and the live files. Exit 1 on any mismatch.")
        {
            dates, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var listed = (parseResult.GetValue(dates) ?? []).Select(PartitionDate.Parse).ToList();
            var asJson = parseResult.GetValue(json);
            var output = runner.Console.Out;

            // Each day is printed as soon as it is checked: a long verify shows live work, also in a log.
            var progress = asJson ? null : new SynchronousProgress<DayVerification>(day => WriteDay(output, day));
            var report = await services.GetRequiredService<VerifyService>().VerifyAsync(listed, progress, cancellationToken);
            if (asJson)
            {
                await output.WriteLineAsync(JsonSerializer.Serialize(report, ToolJsonContext.Output.VerificationReport));
            }
            else
            {
                await output.WriteLineAsync(report.IsValid
                    ? $"Verified {Quantity.Of(report.Days.Count, "day")}: no problems."
                    : $"Verified {Quantity.Of(report.Days.Count, "day")}: {report.Days.Count(r => !r.IsValid)} with problems.");
            }

            return report.IsValid ? ExitCodes.Success : ExitCodes.OperationFailed;
        }));
        return command;
    }

    private static void WriteDay(TextWriter output, DayVerification day)
    {
        var parts = new List<string>();
        if (day.Manifest is { } m)
        {
            parts.Add($"manifest {m.Health.ToString().ToLowerInvariant()}");
        }

        if (day.Archive is { } a)
        {
            parts.Add(!a.IsValid ? "archive BAD"
                : a.Stale.Count > 0 ? $"archive ok but stale ({Quantity.Of(a.Stale.Count, "live file")} newer or not in it; the next archive --older-than/--all or prune refreshes it)"
                : $"archive ok ({Quantity.Of(a.EntriesChecked, "file")}, {a.LiveFilesChecked} live compared)");
        }

        output.WriteLine($"{day.Date}: {string.Join(", ", parts)}");
        foreach (var problem in day.Problems)
        {
            output.WriteLine($"  {problem}");
        }

        foreach (var note in day.Archive?.Stale ?? [])
        {
            output.WriteLine($"  stale: {note}");
        }
    }
}
