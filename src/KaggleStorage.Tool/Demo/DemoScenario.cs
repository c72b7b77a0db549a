using System.IO.Abstractions;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using KaggleStorage.Status;

namespace KaggleStorage.Tool.Demo;

/// <summary>
/// The whole flow on sample data, as a new user of the store would run it: init, migrate a legacy layout, land
/// downloaded days, archive, prune, status. Built only on the library's public services, so it also proves they are
/// enough for a caller.
/// </summary>
internal sealed class DemoScenario(
    StorageLayout layout,
    IFileSystem fileSystem,
    StoreCalendar calendar,
    SampleStoreGenerator generator,
    MigrationService migration,
    ArchiveService archives,
    PruneService prune,
    StoreStatusScanner scanner)
{
    /// <summary>Ages of the sample days past retention: one past the 1-year archive window, two past raw's 90 days.</summary>
    private static readonly int[] OldDayAges = [400, 120, 95];

    /// <summary>Days of the legacy layout, at most.</summary>
    private const int LegacyDays = 3;

    /// <summary>Runs the demo in the store's root (which must be new, empty, or built there by an earlier demo).</summary>
    /// <exception cref="Errors.StorageInputException">The folder holds something the demo did not make here.</exception>
    public async Task<DemoReport> RunAsync(DemoRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);

        // A second run in the same folder starts over, so it shows the same flow instead of failing on days that an
        // earlier run made with other sizes.
        var reset = DemoDirectory.Prepare(fileSystem, layout.Root);
        var init = await layout.InitializeAsync(cancellationToken);
        var yesterday = calendar.Today.AddDays(-1);

        // The old nightly job kept its days in a job-local folder; the first step of adopting the shared store is
        // moving them, so the demo starts there. That folder lies beside the store (a source may never overlap the
        // store) on the same volume, and goes once its days are migrated.
        var legacyHome = fileSystem.Path.Combine(
            fileSystem.Path.GetDirectoryName(layout.Root) ?? fileSystem.Path.GetTempPath(),
            $".{fileSystem.Path.GetFileName(layout.Root)}-legacy-{Guid.NewGuid():N}");
        var legacy = fileSystem.Path.Combine(legacyHome, "jobs", "fetch-kaggle", "data");
        var legacyDays = Math.Min(LegacyDays, request.Days);
        MigrationResult migrated;
        try
        {
            await generator.WriteLegacyLayoutAsync(
                legacy, yesterday.AddDays(1 - request.Days), legacyDays, request.BytesPerDay, request.Seed, cancellationToken);
            migrated = await migration.MigrateAsync(legacy, dryRun: false, deleteSource: false, progress: null, cancellationToken);
        }
        finally
        {
            if (fileSystem.Directory.Exists(legacyHome))
            {
                fileSystem.Directory.Delete(legacyHome, recursive: true);
            }
        }

        var created = await generator.GenerateRawAsync(yesterday, request.Days, request.BytesPerDay, request.Seed, cancellationToken);
        var old = new List<PartitionDate>();
        foreach (var age in OldDayAges)
        {
            old.AddRange(await generator.GenerateRawAsync(
                yesterday.AddDays(1 - age), 1, Math.Max(64 * 1024, request.BytesPerDay / 4), request.Seed, cancellationToken));
        }

        var archived = await archives.ExecuteAsync(
            await archives.PlanUnarchivedAsync(7, cancellationToken), cancellationToken: cancellationToken);
        var pruned = request.SkipPrune
            ? null
            : await prune.ExecuteAsync(await prune.PlanAsync(cancellationToken), progress: null, cancellationToken);
        var status = await scanner.ScanAsync(cancellationToken);
        return new DemoReport(reset, init, legacy, legacyDays, migrated, yesterday, created, old, archived, pruned, status);
    }
}
