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
            var progress = new SynchronousProgress<DownloadProgress>(p => line.Update(p.TotalBytes is { } total
                ? $"{ProgressLine.Bar((double)p.Bytes / total)} {ByteSize.Format(p.Bytes)} of {ByteSize.Format(total)}"
                : $"{ByteSize.Format(p.Bytes)} received", p.Bytes, p.TotalBytes ?? -1));
            var result = await services.GetRequiredService<DatasetDownloader>()
                .DownloadAsync(day, parseResult.GetValue(dryRun), parseResult.GetValue(force), progress, cancellationToken);
            line.Dispose();

            if (parseResult.GetValue(json))
            {
                await runner.Console.Out.WriteLineAsync(JsonSerializer.Serialize(result, ToolJsonContext.Default.DownloadResult));
                return ExitCodes.Success;
            }

            var output = runner.Console.Out;
            switch (result.Status)
            {
                case DownloadStatus.Planned:
                    var dataset = result.Dataset!;
                    await output.WriteLineAsync($"Would download {dataset.DatasetId} version {dataset.Version?.ToString() ?? "(latest)"} as {result.Username} into {result.Partition}:");
                    foreach (var file in dataset.Files)
                    {
                        await output.WriteLineAsync($"  {file.Name,-50} {(file.TotalBytes is { } size ? ByteSize.Format(size) : "?"),10}");
                    }

                    await output.WriteLineAsync($"{dataset.Files.Count} files, {ByteSize.Format(dataset.TotalBytes)}. Dry run: nothing was written.");
                    break;
                case DownloadStatus.Unchanged:
                    await output.WriteLineAsync(
                        $"{result.Dataset!.DatasetId} is unchanged since {Path.GetFileName(result.Partition)} (version {result.Dataset.Version}); nothing downloaded, the check is recorded in metadata/downloads/{result.Date}.json.");
                    break;
                case DownloadStatus.Skipped:
                    await output.WriteLineAsync($"{result.Partition} already exists with a valid manifest; nothing downloaded (use --force to replace it).");
                    break;
                default:
                    var manifest = result.Manifest!;
                    await output.WriteLineAsync(
                        $"{(result.Status == DownloadStatus.Replaced ? "Replaced" : "Downloaded")} {manifest.DatasetId} version {manifest.DatasetVersion ?? "?"} into {result.Partition}: {manifest.Files.Count} files, {ByteSize.Format(manifest.Files.Sum(f => f.SizeBytes))}, {manifest.Files.Sum(f => f.RowCount ?? 0)} rows.");
                    break;
            }

            return ExitCodes.Success;
        }));
        return command;
    }
}
