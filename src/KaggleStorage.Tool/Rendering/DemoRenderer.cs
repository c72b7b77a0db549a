using KaggleStorage.IO;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Tool.Demo;

namespace KaggleStorage.Tool.Rendering;

/// <summary>The demo's walk-through: one numbered block per step, a FAILED line for each failure.</summary>
internal static class DemoRenderer
{
    public static async Task WriteAsync(TextWriter output, string root, DemoRequest request, DemoReport report)
    {
        await output.WriteLineAsync($"== 1. init: {root}{(report.Reset ? " (emptied first: an earlier demo built it)" : string.Empty)}");
        await output.WriteLineAsync(report.Init.Count == 0
            ? "   already initialized"
            : $"   created {string.Join(", ", report.Init.Select(a => a.GetFolderName() + "/"))}");

        var migration = report.Migration;
        await output.WriteLineAsync(
            $"== 2. legacy layout: {Quantity.Of(report.LegacyDays, "day")} in {report.LegacyFolder}/kaggle_raw, migrated into the store (the legacy folder is removed afterwards)");
        await output.WriteLineAsync(migration.NothingToDo
            ? "   already migrated"
            : $"   {migration.FilesToCopy} files, {ByteCount.Format(migration.BytesToCopy)} copied and verified; journal {Path.GetRelativePath(root, migration.JournalPath!)}");
        foreach (var problem in migration.Problems)
        {
            await output.WriteLineAsync($"   FAILED {problem}");
        }

        await output.WriteLineAsync(
            $"== 3. sample download: the other raw days up to {report.Yesterday}, ~{ByteCount.Format(request.BytesPerDay)} each ({Quantity.Of(request.Days, "day")} in all with the {report.LegacyDays} migrated)");
        await output.WriteLineAsync(report.Created.Count == 0
            ? "   all days already present"
            : $"   wrote raw/{report.Created[0]} .. raw/{report.Created[^1]} ({Quantity.Of(report.Created.Count, "day")}) with download_manifest.json");
        if (report.OldDays.Count > 0)
        {
            await output.WriteLineAsync($"   and {Quantity.Of(report.OldDays.Count, "old day")} past retention: {string.Join(", ", report.OldDays)}");
        }

        await output.WriteLineAsync("== 4. archive --older-than 7");
        foreach (var outcome in report.Archived.Outcomes)
        {
            await output.WriteLineAsync(outcome.Status == "failed"
                ? $"   FAILED {outcome.Date}: {outcome.Error}"
                : $"   {outcome.Date}: {outcome.Status.ToString().ToLowerInvariant()} {ByteCount.Format(outcome.SourceBytes)} → {ByteCount.Format(outcome.ArchiveBytes)}");
        }

        if (report.Pruned is not { } pruned)
        {
            await output.WriteLineAsync($"== 5. prune: skipped; see what it would do with: kaggle-storage --root {root} prune --dry-run");
        }
        else
        {
            await output.WriteLineAsync("== 5. prune");
            foreach (var item in pruned.Removed)
            {
                await output.WriteLineAsync($"   removed {Path.GetRelativePath(root, item.Path)}: {item.Reason}");
            }

            foreach (var failure in pruned.Failures)
            {
                await output.WriteLineAsync($"   FAILED {Path.GetRelativePath(root, failure.Item.Path)}: {failure.Error}");
            }

            await output.WriteLineAsync($"   freed {ByteCount.Format(pruned.BytesFreed)}");
        }

        await output.WriteLineAsync("== 6. status");
        StatusRenderer.Write(output, report.Status);
        await output.WriteLineAsync();
        await output.WriteLineAsync($"Try: kaggle-storage --root {root} status --json");
        if (report.Failures > 0)
        {
            await output.WriteLineAsync($"The demo met {Quantity.Of(report.Failures, "failure")}; each is a FAILED line above.");
        }
    }
}
