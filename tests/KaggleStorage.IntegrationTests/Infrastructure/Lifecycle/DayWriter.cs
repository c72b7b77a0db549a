using System.Globalization;
using System.Text;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The store's two other writers, as they behave in production: the fetch job publishes a whole raw day with its
/// download manifest by one rename, and the ETL replaces files of processed/D one by one (each by rename), on any
/// night, also after the day was archived or its raw day pruned. Content comes from a seed so a replay writes the
/// same bytes; names include hidden files, nested folders and Hebrew, and now and then a name that is not UTF-8
/// (cp1255 Hebrew from an old job). The old fetch script writes its days into the legacy folder outside the store.
/// </summary>
internal sealed class DayWriter(string root, string workDirectory)
{
    /// <summary>File names that are not UTF-8: cp1255 Hebrew, as an old job on a Windows share left them.</summary>
    public static readonly IReadOnlyList<byte[]> NonUtf8Names =
    [
        [0xE0, 0xF8, 0xE6, .. ".csv"u8],
        [.. "prices_"u8, 0xF7, 0xE1, 0xEC, 0xE4, .. ".csv"u8],
        [.. "parts/"u8, 0xEE, 0xE7, 0xE9, 0xF8, 0xE9, 0xED, .. ".csv"u8],
    ];

    private static readonly string[] RawNames =
        ["price_full_file_shufersal.csv", "promo_file_rami_levy.csv", "מחירים_ויקטורי.csv", ".download_notes", "stores/branches.csv",
         "stores/תיקייה/סניפים.csv", "empty.csv"];

    private static readonly string[] ProcessedExtras = ["parts/prices.csv", ".etl_state", "סיכום_טעינה.txt", "parts/deep/rejects.csv"];

    /// <summary>The legacy data folder: <c>kaggle_raw/</c> is in it.</summary>
    public string LegacyData { get; } = Path.Combine(workDirectory, "legacy", "jobs", "fetch-kaggle", "data");

    /// <summary>How a message shows <see cref="NonUtf8Names"/>[<paramref name="index"/>]: its bytes escaped.</summary>
    public static string Shown(int index) => ByteNames.Escape(NonUtf8Names[index]);

    /// <summary>The UTF-8 name an operator's <c>convmv -f cp1255 -t utf8</c> gives a cp1255 name.</summary>
    public static string FromCp1255(byte[] name) =>
        System.Text.CodePagesEncodingProvider.Instance.GetEncoding(1255)!.GetString(name);

    /// <summary>The files of a day as the fake Kaggle's zip holds them (no manifest: the tool writes it).</summary>
    public static IReadOnlyList<(string Name, string Content)> DatasetFiles(int seed)
    {
        var random = new Random(seed);
        var names = RawNames.Take(1).Concat(RawNames.Skip(1).Where(name => !name.StartsWith('.') && random.Next(3) == 0));
        return [.. names.Select(name => (name, name == "empty.csv" ? string.Empty : Csv(random, random.Next(1_000, 30_000))))];
    }

    /// <summary>
    /// Writes kaggle_raw/<paramref name="day"/> of the legacy folder as the old script did (files only, no current
    /// manifest), plus a file whose name is not UTF-8 when asked. Returns kaggle_raw-relative escaped paths.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteLegacyDayAsync(string day, int seed, int? nonUtf8Name)
    {
        var random = new Random(seed);
        var directory = Path.Combine(LegacyData, "kaggle_raw", day);
        var names = RawNames.Take(1).Concat(RawNames.Skip(1).Where(_ => random.Next(3) == 0)).ToList();
        var written = new List<string>();
        foreach (var name in names)
        {
            var path = Path.Combine(directory, name);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllTextAsync(path, name == "empty.csv" ? string.Empty : Csv(random, random.Next(1_000, 30_000)));
            written.Add($"kaggle_raw/{day}/{name}");
        }

        if (nonUtf8Name is { } index)
        {
            written.Add($"kaggle_raw/{day}/{WriteNonUtf8(directory, index, Csv(random, 2_000))}");
        }

        return written;
    }

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

    /// <summary>
    /// Writes the ETL's documents of processed/<paramref name="day"/> (new bytes every run) and some extra files, and
    /// one whose name is not UTF-8 when asked (staged, then renamed by its bytes, as the ETL publishes).
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteProcessedAsync(string day, int seed, int? nonUtf8Name = null)
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

        if (nonUtf8Name is { } index)
        {
            written.Add($"processed/{day}/{WriteNonUtf8(directory, index, Csv(random, random.Next(200, 8_000)))}");
        }

        return written;
    }

    private string WriteNonUtf8(string directory, int index, string content)
    {
        var name = NonUtf8Names[index];
        var slash = Array.LastIndexOf(name, (byte)'/');
        if (slash >= 0)
        {
            Directory.CreateDirectory(Path.Combine(directory, Encoding.UTF8.GetString(name[..slash])));
        }

        var staged = ByteNames.Native(Path.Combine(workDirectory, "etl-" + Guid.NewGuid().ToString("N")));
        ByteNames.WriteAll(staged, Encoding.UTF8.GetBytes(content));
        ByteNames.Rename(staged, ByteNames.Join(ByteNames.Native(directory), name));
        return ByteNames.Escape(name);
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
