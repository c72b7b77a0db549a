using System.Globalization;
using System.IO.Abstractions;
using CsvHelper;
using CsvHelper.Configuration;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Samples.EtlWorker;

/// <summary>
/// Loads one raw day: streams every CSV with CsvHelper, validates each row, and writes
/// <c>processed/YYYYMMDD/load_summary.json</c> and <c>validation_report.json</c> into a folder staged under the
/// store lock, then publishes it: the library's one staged-write sequence, so readers never see half a day. The lock
/// is taken only to publish, after the long read. Bad rows are counted, a bad file is reported as failed, and the
/// other files still load.
/// </summary>
public sealed class PartitionLoader(StorageLayout layout, IFileSystem fileSystem, ManifestStore manifests, StoreLock storeLock, TimeProvider timeProvider)
{
    /// <summary>Days that have raw data but no processed output yet, oldest first.</summary>
    public IReadOnlyList<PartitionDate> FindPending()
    {
        var processed = layout.ListDays(StorageArea.Processed).ToHashSet();
        return layout.ListDays(StorageArea.Raw).Where(day => !processed.Contains(day)).ToList();
    }

    /// <summary>Loads one day and publishes its processed folder; returns both documents written.</summary>
    public async Task<DayLoad> LoadAsync(PartitionDate day, CancellationToken cancellationToken)
    {
        var started = timeProvider.GetUtcNow();
        var raw = layout.GetDateDirectory(StorageArea.Raw, day);
        var files = new List<LoadedFile>();
        var ruleCounts = new Dictionary<string, long>(StringComparer.Ordinal)
        {
            ["required-columns"] = 0, ["price-numeric-non-negative"] = 0, ["dates-parse"] = 0, ["item-unique-per-store"] = 0,
        };
        foreach (var path in fileSystem.Directory.EnumerateFiles(raw, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = fileSystem.Path.GetRelativePath(raw, path).Replace('\\', '/');
            files.Add(await LoadFileAsync(path, name, ruleCounts, cancellationToken));
        }

        var status = files.Count == 0 || files.All(f => f.Status == LoadStatus.Failed) ? LoadStatus.Failed
            : files.All(f => f.Status == LoadStatus.Succeeded) ? LoadStatus.Succeeded
            : LoadStatus.PartiallySucceeded;
        var summary = new LoadSummary { Partition = day, StartedAtUtc = started, CompletedAtUtc = timeProvider.GetUtcNow(), Status = status, Files = files };
        var checks = ruleCounts.Select(rule => new ValidationCheck(
            rule.Key, rule.Value == 0 ? CheckStatus.Passed : rule.Key == "required-columns" ? CheckStatus.Failed : CheckStatus.Warning,
            rule.Value == 0 ? "no violations" : $"{rule.Value} {(rule.Key == "required-columns" ? (rule.Value == 1 ? "file breaks" : "files break") : (rule.Value == 1 ? "row breaks" : "rows break"))} the rule",
            rule.Value)).ToList();
        var report = new ValidationReport
        {
            Partition = day,
            CheckedAtUtc = timeProvider.GetUtcNow(),
            Status = checks.Max(check => check.Status),
            Checks = checks,
        };

        await using var held = await storeLock.AcquireAsync("etl", cancellationToken);
        await using var staging = held.CreateStagedDirectory($"etl-{day}");
        await manifests.WriteStagedAsync(staging, LoadSummary.FileName, summary, cancellationToken);
        await manifests.WriteStagedAsync(staging, ValidationReport.FileName, report, cancellationToken);
        await staging.PublishAsync(layout.GetDateDirectory(StorageArea.Processed, day), cancellationToken);
        return new DayLoad(summary, report);
    }

    private async Task<LoadedFile> LoadFileAsync(string path, string name, Dictionary<string, long> ruleCounts, CancellationToken cancellationToken)
    {
        long read = 0, rejected = 0;
        try
        {
            await using var stream = fileSystem.FileStream.New(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
            using var reader = new StreamReader(stream);
            using var csv = new CsvReader(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { PrepareHeaderForMatch = args => args.Header.ToLowerInvariant(), BadDataFound = null, MissingFieldFound = null });
            if (!await csv.ReadAsync() || !csv.ReadHeader())
            {
                return new LoadedFile(name, 0, 0, 0, LoadStatus.Failed, "empty file");
            }

            var header = csv.HeaderRecord!.Select(h => h.ToLowerInvariant()).ToHashSet(StringComparer.Ordinal);
            var missing = RowValidator.RequiredColumns(fileSystem.Path.GetFileName(name)).Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
            {
                ruleCounts["required-columns"]++;
                return new LoadedFile(name, 0, 0, 0, LoadStatus.Failed, $"missing required {(missing.Count == 1 ? "column" : "columns")}: {string.Join(", ", missing)}");
            }

            var validator = new RowValidator();
            while (await csv.ReadAsync())
            {
                cancellationToken.ThrowIfCancellationRequested();
                read++;
                var broken = validator.Check(column => header.Contains(column) ? csv.GetField(column) : null);
                if (broken.Count > 0)
                {
                    rejected++;
                    foreach (var rule in broken)
                    {
                        ruleCounts[rule]++;
                    }
                }
            }
        }
        catch (Exception exception) when (exception is CsvHelperException or IOException)
        {
            return new LoadedFile(name, read, read - rejected, rejected, LoadStatus.Failed, exception.Message.Split('\n')[0]);
        }

        return new LoadedFile(name, read, read - rejected, rejected, rejected == 0 ? LoadStatus.Succeeded : LoadStatus.PartiallySucceeded);
    }
}
