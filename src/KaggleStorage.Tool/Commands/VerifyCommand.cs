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
            var layout = services.GetRequiredService<StorageLayout>();
            var manifestVerifier = services.GetRequiredService<DownloadManifestVerifier>();
            var archiveVerifier = services.GetRequiredService<ArchiveVerifier>();
            var listed = parseResult.GetValue(dates) ?? [];
            var raw = layout.ListPartitions(StorageArea.Raw).Dates.ToHashSet();
            var archived = layout.ListPartitions(StorageArea.Archive).Dates.ToHashSet();
            var days = listed.Length > 0
                ? listed.Select(PartitionDate.Parse).Distinct().Order().ToList()
                : raw.Concat(archived).Distinct().Order().ToList();
            var unknown = days.Where(d => !raw.Contains(d) && !archived.Contains(d)).ToList();
            if (unknown.Count > 0)
            {
                throw new Errors.StorageInputException($"The store has neither a raw day nor an archive for {string.Join(", ", unknown)}.");
            }

            var reports = new List<DayVerification>();
            foreach (var day in days)
            {
                var manifest = raw.Contains(day)
                    ? await manifestVerifier.VerifyAsync(layout.GetDateDirectory(StorageArea.Raw, day), verifyContent: true, cancellationToken)
                    : null;
                var archive = archived.Contains(day) ? await archiveVerifier.VerifyAsync(day, cancellationToken) : null;
                reports.Add(new DayVerification(day, manifest, archive));
            }

            var report = new VerificationReport(reports);
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

/// <summary>What <c>verify</c> found for one day.</summary>
internal sealed record DayVerification(PartitionDate Date, ManifestCheck? Manifest, ArchiveVerification? Archive)
{
    public IEnumerable<string> Problems =>
        (Manifest?.Health == ManifestHealth.Missing ? ["download_manifest.json is missing"] : Manifest?.Problems ?? [])
            .Concat(Archive?.Problems ?? []);

    public bool IsValid => !Problems.Any();
}

/// <summary>The <c>verify</c> report.</summary>
internal sealed record VerificationReport(IReadOnlyList<DayVerification> Days)
{
    public bool IsValid => Days.All(day => day.IsValid);
}
