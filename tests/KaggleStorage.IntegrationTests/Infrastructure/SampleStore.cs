using KaggleStorage.Demo;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;
using Microsoft.Extensions.Options;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>Writes realistic days straight onto a real disk with the library's generator.</summary>
public static class SampleStore
{
    /// <summary>A raw day of CSVs with a matching download manifest.</summary>
    public static async Task WriteRawDayAsync(string root, string date, long bytes, int seed = 1)
    {
        var fileSystem = new System.IO.Abstractions.FileSystem();
        var options = Options.Create(new KaggleStorageOptions { Root = root });
        var layout = new StorageLayout(options, fileSystem);
        var generator = new SampleStoreGenerator(
            layout,
            fileSystem,
            new KaggleStorage.Locking.StoreLock(layout, fileSystem, TimeProvider.System, options, Microsoft.Extensions.Logging.Abstractions.NullLogger<KaggleStorage.Locking.StoreLock>.Instance),
            new SampleDataWriter(fileSystem),
            new FileFingerprinter(fileSystem),
            new ManifestStore(fileSystem),
            TimeProvider.System);
        await generator.WritePartitionAsync(Path.Combine(root, "raw", date), PartitionDate.Parse(date), bytes, seed);
    }

    public static void WriteProcessedDay(string root, string date)
    {
        var directory = Path.Combine(root, "processed", date);
        Directory.CreateDirectory(directory);
        File.WriteAllText(Path.Combine(directory, "load_summary.json"), "{\"schemaVersion\":1}");
        File.WriteAllText(Path.Combine(directory, "validation_report.json"), "{\"schemaVersion\":1}");
    }
}
