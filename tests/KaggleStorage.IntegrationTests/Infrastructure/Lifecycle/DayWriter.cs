using System.Globalization;
using System.Text;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The store's two other writers, as they behave in production: the fetch job publishes a whole raw day with its
/// download manifest by one rename, and the ETL replaces files of processed/D one by one (each by rename), on any
/// night, also after the day was archived or its raw day pruned. Content comes from a seed so a replay writes the
/// same bytes; names include hidden files, nested folders and Hebrew.
/// </summary>
internal sealed class DayWriter(string root, string workDirectory)
{
    private static readonly string[] RawNames =
        ["price_full_file_shufersal.csv", "promo_file_rami_levy.csv", "מחירים_ויקטורי.csv", ".download_notes", "stores/branches.csv",
         "stores/תיקייה/סניפים.csv", "empty.csv"];

    private static readonly string[] ProcessedExtras = ["parts/prices.csv", ".etl_state", "סיכום_טעינה.txt", "parts/deep/rejects.csv"];

    /// <summary>Publishes raw/<paramref name="day"/>; an invalid one has a CSV that grew after its manifest was written.</summary>
    public async Task<IReadOnlyList<string>> DownloadAsync(string day, int seed, bool invalid)
    {
        var random = new Random(seed);
        var incoming = Path.Combine(workDirectory, "incoming", day);
        Directory.CreateDirectory(incoming);
        var names = RawNames.Take(1).Concat(RawNames.Skip(1).Where(_ => random.Next(3) == 0)).ToList();
        foreach (var name in names)
        {
            var path = Path.Combine(incoming, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, name == "empty.csv" ? string.Empty : Csv(random, random.Next(1_000, 30_000)));
        }

        var fileSystem = new System.IO.Abstractions.FileSystem();
        var manifest = new DownloadManifest
        {
            DatasetId = KaggleStorageOptions.DefaultDatasetId,
            DatasetVersion = seed.ToString(CultureInfo.InvariantCulture),
            Partition = PartitionDate.Parse(day),
            // From the day, not the clock: a replay of the seed then publishes the very same manifest bytes.
            DownloadedAtUtc = new DateTimeOffset(PartitionDate.Parse(day).Date.ToDateTime(new TimeOnly(2, 0)), TimeSpan.Zero),
            Source = "lifecycle-model",
            Files = await new FileFingerprinter(fileSystem).ComputePartitionAsync(incoming),
        };
        await new ManifestStore(fileSystem).WriteAsync(Path.Combine(incoming, DownloadManifest.FileName), manifest);
        if (invalid)
        {
            await File.AppendAllTextAsync(Path.Combine(incoming, names[0]), "9999,0.01,late row\n");
        }

        var target = Path.Combine(root, "raw", day);
        Directory.Move(incoming, target);
        return [.. names.Select(name => $"raw/{day}/{name}"), $"raw/{day}/{DownloadManifest.FileName}"];
    }

    /// <summary>Writes the ETL's documents of processed/<paramref name="day"/> (new bytes every run) and some extra files.</summary>
    public async Task<IReadOnlyList<string>> WriteProcessedAsync(string day, int seed)
    {
        var random = new Random(seed);
        var directory = Path.Combine(root, "processed", day);
        var written = new List<string>();
        async Task WriteAsync(string name, string content)
        {
            var staged = Path.Combine(workDirectory, "etl-" + Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(staged, content);
            var target = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Move(staged, target, overwrite: true);
            written.Add($"processed/{day}/{name}");
        }

        var run = random.Next();
        await WriteAsync("load_summary.json", $"{{\"schemaVersion\":1,\"partition\":\"{day}\",\"etlRun\":{run}}}\n");
        await WriteAsync("validation_report.json", $"{{\"schemaVersion\":1,\"partition\":\"{day}\",\"etlRun\":{run},\"status\":\"passed\"}}\n");
        foreach (var name in ProcessedExtras.Where(_ => random.Next(3) == 0))
        {
            await WriteAsync(name, Csv(random, random.Next(200, 8_000)));
        }

        return written;
    }

    private static string Csv(Random random, int bytes)
    {
        var text = new StringBuilder("item_code,price,item_name\n");
        while (text.Length < bytes)
        {
            text.Append(CultureInfo.InvariantCulture, $"{random.Next(1_000_000)},{random.Next(100, 99_999) / 100.0:F2},חלב {random.Next(100)}%\n");
        }

        return text.ToString();
    }
}
