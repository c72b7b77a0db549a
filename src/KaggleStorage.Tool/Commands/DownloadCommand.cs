using KaggleStorage.IO;
using System.CommandLine;
using System.Text.Json;
using KaggleStorage.Kaggle;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class DownloadCommand
{
    public static Command Create(CommandRunner runner)
    {
        var date = new Option<string?>("--date") { Description = "File the download under this day, YYYYMMDD (default: today in KaggleStorage:TimeZone)." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Ask Kaggle what would be fetched (version, files, sizes); write nothing." };
        var force = new Option<bool>("--force") { Description = "Replace the day if it already exists (atomically; the old day survives a failure)." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON document on stdout." };
        var command = new Command(
            "download",
            "Fetch the Kaggle dataset into raw/YYYYMMDD with download_manifest.json (credentials: KAGGLE_API_TOKEN or ~/.kaggle/access_token first, else KAGGLE_USERNAME + KAGGLE_KEY or kaggle.json). Skips a day that already has a valid manifest.")
        {
            date, dryRun, force, json,
        };
        command.SetAction((parseResult, cancellationToken) => runner.RunAsync(parseResult, async services =>
        {
            var day = parseResult.GetValue(date) is { } text ? PartitionDate.Parse(text) : (PartitionDate?)null;
            using var line = new ProgressLine(runner.Console, toError: parseResult.GetValue(json));
            var progress = new SynchronousProgress<OperationProgress>(p =>
            {
                if (p.Stage == "extracting")
                {
                    // No rate: the line's clock started with the transfer, so a rate would mix the two stages.
                    var total = Math.Max(p.BytesTotal ?? 0, 1);
                    line.Update($"{ProgressLine.Bar((double)p.BytesDone / total)} extracting {ByteCount.Format(p.BytesDone)} of {ByteCount.Format(p.BytesTotal ?? 0)}");
                    return;
                }

                line.Update(p.BytesTotal is { } size
                    ? $"{ProgressLine.Bar((double)p.BytesDone / size)} {ByteCount.Format(p.BytesDone)} of {ByteCount.Format(size)}"
                    : $"{ByteCount.Format(p.BytesDone)} received", p.BytesDone, p.BytesTotal ?? -1);
            });
            var downloader = services.GetRequiredService<DatasetDownloader>();
            var plan = await downloader.PlanAsync(day, parseResult.GetValue(force), cancellationToken);
            if (parseResult.GetValue(dryRun))
            {
                await WritePlanAsync(runner.Console.Out, plan, parseResult.GetValue(json));
                return ExitCodes.Success;
            }

            var result = await downloader.ExecuteAsync(plan, progress, cancellationToken);
            line.Dispose();

            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Output.DownloadResult));
                return ExitCodes.Success;
            }

            var output = runner.Console.Out;
            switch (result.Status)
            {
                case DownloadStatus.Unchanged:
                    await output.WriteLineAsync(
                        $"{result.Dataset!.DatasetId} is unchanged since {Path.GetFileName(result.Folder)} (version {result.Dataset.Version}); nothing downloaded, the check is recorded in metadata/downloads/{result.Date}.json.");
                    break;
                case DownloadStatus.Skipped:
                    await output.WriteLineAsync($"{result.Folder} already exists with a valid manifest; nothing downloaded (use --force to replace it).");
                    break;
                default:
                    var manifest = result.Manifest!;
                    await output.WriteLineAsync(
                        $"{(result.Status == DownloadStatus.Replaced ? "Replaced" : "Downloaded")} {manifest.DatasetId} version {manifest.DatasetVersion ?? "?"} into {result.Folder}: {Quantity.Of(manifest.Files.Count, "file")}, {ByteCount.Format(manifest.Files.Sum(f => f.SizeBytes))}, {Quantity.Of(manifest.Files.Sum(f => f.RowCount ?? 0), "row")}.");
                    break;
            }

            return ExitCodes.Success;
        }));
        return command;
    }

    private static async Task WritePlanAsync(TextWriter output, DownloadPlan plan, bool asJson)
    {
        if (asJson)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(plan, ToolJsonContext.Output.DownloadPlan));
            return;
        }

        if (plan.Dataset is not { } dataset)
        {
            await output.WriteLineAsync($"{plan.Destination} already exists with a valid manifest; nothing would be downloaded (use --force to replace it). Dry run: nothing was written.");
            return;
        }

        var version = dataset.Version?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(latest)";
        if (plan is { Action: DownloadAction.Unchanged, UnchangedSince: { } since })
        {
            await output.WriteLineAsync($"{dataset.DatasetId} is unchanged since {since} (version {version}); nothing would be downloaded (use --force to download anyway). Dry run: nothing was written.");
            return;
        }

        await output.WriteLineAsync(
            $"Would {(plan.Action == DownloadAction.Replace ? "replace" : "download")} {dataset.DatasetId} version {version} as {plan.Username} into {plan.Destination}:");
        foreach (var file in dataset.Files)
        {
            await output.WriteLineAsync($"  {file.Name,-50} {(file.TotalBytes is { } size ? ByteCount.Format(size) : "?"),10}");
        }

        await output.WriteLineAsync($"{Quantity.Of(dataset.Files.Count, "file")}, {ByteCount.Format(dataset.TotalBytes)}. Dry run: nothing was written.");
    }
}
