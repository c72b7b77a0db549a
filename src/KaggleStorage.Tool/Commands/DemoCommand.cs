using System.CommandLine;
using KaggleStorage.Status;
using KaggleStorage.Archival;
using KaggleStorage.Demo;
using KaggleStorage.Layout;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using KaggleStorage.Tool.Rendering;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Tool.Commands;

internal static class DemoCommand
{
    public const string DefaultDirectory = "kaggle-demo";

    private static readonly int[] OldDayAges = [400, 120, 95];

    public static Command Create(CommandRunner runner)
    {
        var dir = new Option<string>("--dir")
        {
            Description = "Folder to build the demo store in: created, or emptied first when an earlier demo run made it.",
            DefaultValueFactory = _ => DefaultDirectory,
        };
        var days = NumberOptions.WholeNumber("--days", "How many consecutive days to generate, ending yesterday (UTC).", 1, 3650, 10);
        var megabytesPerDay = NumberOptions.Number("--mb-per-day", "Approximate size of one day's CSVs in MiB.", 0, 10_240, 3);
        var seed = NumberOptions.WholeNumber("--seed", "Seed of the generator; the same seed gives the same files.", 0, int.MaxValue, 2024);
        var skipPrune = new Option<bool>("--skip-prune")
        {
            Description = "Stop after archiving, so 'prune --dry-run' on the demo store shows what retention would do.",
        };

        var command = new Command(
            "demo",
            "Build a realistic sample store in a local folder (supermarket price and promotion CSVs with manifests) and walk through the flow on it. Needs no credentials and no network.")
        {
            dir,
            days,
            megabytesPerDay,
            seed,
            skipPrune,
        };
        command.SetAction((parseResult, cancellationToken) =>
        {
            var root = Path.GetFullPath(parseResult.GetValue(dir) ?? DefaultDirectory);
            return runner.RunAsync(
                parseResult,
                async services =>
                {
                    var output = runner.Console.Out;
                    var layout = services.GetRequiredService<StorageLayout>();
                    var failures = 0;

                    // A second run in the same folder starts over, so it shows the same flow instead of failing on
                    // days that an earlier run made with other sizes.
                    var reset = DemoDirectory.Prepare(services.GetRequiredService<System.IO.Abstractions.IFileSystem>(), layout.Root);
                    await output.WriteLineAsync($"== 1. init: {layout.Root}{(reset ? " (emptied first: an earlier demo built it)" : string.Empty)}");
                    var init = await layout.InitializeAsync(cancellationToken);
                    await output.WriteLineAsync(init.CreatedAreas.Count == 0
                        ? "   already initialized"
                        : $"   created {string.Join(", ", init.CreatedAreas.Select(a => a.GetFolderName() + "/"))}");

                    var dayCount = parseResult.GetValue(days);
                    var bytesPerDay = (long)(parseResult.GetValue(megabytesPerDay) * 1024 * 1024);
                    var yesterday = services.GetRequiredService<StoreCalendar>().Today.AddDays(-1);
                    var generator = services.GetRequiredService<SampleStoreGenerator>();

                    // The old nightly job kept its days in a job-local folder; the first step of adopting the shared
                    // store is moving them, so the demo starts there. That folder lies beside the store (a source may
                    // never overlap the store) on the same volume, and goes once its days are migrated.
                    var legacyHome = Path.Combine(
                        Path.GetDirectoryName(layout.Root) ?? Path.GetTempPath(), $".{Path.GetFileName(layout.Root)}-legacy-{Guid.NewGuid():N}");
                    var legacy = Path.Combine(legacyHome, "jobs", "fetch-kaggle", "data");
                    var legacyDays = Math.Min(3, dayCount);
                    await output.WriteLineAsync($"== 2. legacy layout: {legacyDays} days in {legacy}/kaggle_raw, migrated into the store (the legacy folder is removed afterwards)");
                    MigrationResult migration;
                    try
                    {
                        await generator.WriteLegacyLayoutAsync(
                            legacy, yesterday.AddDays(1 - dayCount), legacyDays, bytesPerDay, parseResult.GetValue(seed), cancellationToken);
                        migration = await services.GetRequiredService<MigrationService>()
                            .MigrateAsync(legacy, dryRun: false, deleteSource: false, progress: null, cancellationToken);
                    }
                    finally
                    {
                        if (Directory.Exists(legacyHome))
                        {
                            Directory.Delete(legacyHome, recursive: true);
                        }
                    }

                    await output.WriteLineAsync(migration.Plan.NothingToDo
                        ? "   already migrated"
                        : $"   {migration.Plan.FilesToCopy} files, {ByteSize.Format(migration.Plan.BytesToCopy)} copied and verified; journal {Path.GetRelativePath(layout.Root, migration.JournalPath!)}");
                    foreach (var problem in migration.Problems)
                    {
                        failures++;
                        await output.WriteLineAsync($"   FAILED {problem}");
                    }

                    await output.WriteLineAsync(
                        $"== 3. sample download: the other raw days up to {yesterday}, ~{ByteSize.Format(bytesPerDay)} each ({dayCount} days in all with the {legacyDays} migrated)");
                    var created = await generator
                        .GenerateRawAsync(yesterday, dayCount, bytesPerDay, parseResult.GetValue(seed), cancellationToken);
                    await output.WriteLineAsync(created.Count == 0
                        ? "   all days already present"
                        : $"   wrote raw/{created[0]} .. raw/{created[^1]} ({created.Count} days) with download_manifest.json");

                    // A few days past the 90-day raw retention (one even past the 1-year archive window), so archive
                    // and prune have visible work.
                    var old = new List<PartitionDate>();
                    foreach (var age in OldDayAges)
                    {
                        old.AddRange(await generator.GenerateRawAsync(yesterday.AddDays(1 - age), 1, Math.Max(64 * 1024, bytesPerDay / 4), parseResult.GetValue(seed), cancellationToken));
                    }

                    if (old.Count > 0)
                    {
                        await output.WriteLineAsync($"   and {old.Count} old days past retention: {string.Join(", ", old)}");
                    }

                    await output.WriteLineAsync("== 4. archive --older-than 7");
                    var archives = services.GetRequiredService<ArchiveService>();
                    var archived = await archives.ExecuteAsync(
                        await archives.PlanAsync(ArchiveSelection.OlderThan(7), cancellationToken), cancellationToken: cancellationToken);
                    foreach (var outcome in archived.Outcomes)
                    {
                        await output.WriteLineAsync(outcome.Status == ArchiveStatus.Failed
                            ? $"   FAILED {outcome.Date}: {outcome.Error}"
                            : $"   {outcome.Date}: {outcome.Status.ToString().ToLowerInvariant()} {ByteSize.Format(outcome.SourceBytes)} → {ByteSize.Format(outcome.ArchiveBytes)}");
                    }

                    failures += archived.Outcomes.Count(outcome => outcome.Status == ArchiveStatus.Failed);
                    if (parseResult.GetValue(skipPrune))
                    {
                        await output.WriteLineAsync($"== 5. prune: skipped; see what it would do with: kaggle-storage --root {layout.Root} prune --dry-run");
                    }
                    else
                    {
                        await output.WriteLineAsync("== 5. prune");
                        var prune = services.GetRequiredService<PruneService>();
                        var pruned = await prune.ExecuteAsync(await prune.PlanAsync(cancellationToken), progress: null, cancellationToken);
                        foreach (var item in pruned.Removed)
                        {
                            await output.WriteLineAsync($"   removed {Path.GetRelativePath(layout.Root, item.Path)}: {item.Reason}");
                        }

                        foreach (var failure in pruned.Failures)
                        {
                            await output.WriteLineAsync($"   FAILED {Path.GetRelativePath(layout.Root, failure.Item.Path)}: {failure.Error}");
                        }

                        failures += pruned.Failures.Count;
                        await output.WriteLineAsync($"   freed {ByteSize.Format(pruned.BytesFreed)}");
                    }

                    await output.WriteLineAsync("== 6. status");
                    var status = await services.GetRequiredService<StoreStatusScanner>().ScanAsync(cancellationToken);
                    StatusRenderer.Write(output, status);
                    await output.WriteLineAsync();
                    await output.WriteLineAsync($"Try: kaggle-storage --root {layout.Root} status --json");
                    if (failures > 0)
                    {
                        await output.WriteLineAsync($"The demo met {failures} failure(s); each is a FAILED line above.");
                        return ExitCodes.OperationFailed;
                    }

                    return ExitCodes.Success;
                },
                rootOverride: root);
        });
        return command;
    }
}
