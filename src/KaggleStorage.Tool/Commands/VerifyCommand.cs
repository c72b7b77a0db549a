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
            var report = await services.GetRequiredService<VerifyService>().VerifyAsync(listed, progress: null, cancellationToken);
            var reports = report.Days;
            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(report, ToolJsonContext.Default.VerificationReport));
            }
            else
            {
                foreach (var day in reports)
                {
                    var parts = new List<string>();
                    if (day.Manifest is { } m)
                    {
                        parts.Add($"manifest {m.Health.ToString().ToLowerInvariant()}");
                    }

                    if (day.Archive is { } a)
                    {
                        parts.Add(a.IsValid ? $"archive ok ({a.EntriesChecked} files, {a.LiveFilesChecked} live compared)" : "archive BAD");
                    }

                    await runner.Console.Out.WriteLineAsync($"{day.Date}: {string.Join(", ", parts)}");
                    foreach (var problem in day.Problems)
                    {
                        await runner.Console.Out.WriteLineAsync($"  {problem}");
                    }
                }

                await runner.Console.Out.WriteLineAsync(report.IsValid
                    ? $"Verified {reports.Count} day(s): no problems."
                    : $"Verified {reports.Count} day(s): {reports.Count(r => !r.IsValid)} with problems.");
            }

            return report.IsValid ? ExitCodes.Success : ExitCodes.OperationFailed;
        }));
        return command;
    }
}
