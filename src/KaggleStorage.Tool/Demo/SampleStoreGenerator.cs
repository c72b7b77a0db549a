using System.IO.Abstractions;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;

namespace KaggleStorage.Tool.Demo;

/// <summary>
/// Fills a store with realistic sample days through the library's public API only: each raw day is written into a
/// staged folder under the store lock, given a correct download manifest, and published as <c>raw/YYYYMMDD</c>,
/// exactly as a real download lands.
/// </summary>
internal sealed class SampleStoreGenerator(
    StorageLayout layout,
    IFileSystem fileSystem,
    StoreLock storeLock,
    SampleDataWriter writer,
    ManifestStore manifests,
    TimeProvider timeProvider)
{
    /// <summary>The <see cref="DownloadManifest.Source"/> of generated partitions.</summary>
    public const string Source = "demo";

    /// <summary>
    /// Creates <paramref name="days"/> raw partitions ending at <paramref name="lastDay"/>; days already present
    /// are left alone. Returns the days created.
    /// </summary>
    public async Task<IReadOnlyList<PartitionDate>> GenerateRawAsync(
        PartitionDate lastDay, int days, long bytesPerDay, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(days);
        await layout.InitializeAsync(cancellationToken);
        await using var held = await storeLock.AcquireAsync("demo", cancellationToken);
        var created = new List<PartitionDate>();
        for (var day = lastDay.AddDays(1 - days); day <= lastDay; day = day.AddDays(1))
        {
            var target = layout.GetDateDirectory(StorageArea.Raw, day);
            if (fileSystem.Directory.Exists(target))
            {
                continue;
            }

            await using var staged = held.CreateStagedDirectory($"demo-{day}");
            await WritePartitionAsync(staged.Path, day, bytesPerDay, seed, cancellationToken);
            await staged.PublishAsync(target, cancellationToken);
            created.Add(day);
        }

        return created;
    }

    /// <summary>
    /// Lays down the legacy job-local layout the store replaces: <c>kaggle_raw/YYYYMMDD/</c> with CSVs and no
    /// manifest (the old job wrote none), plus a report and a metadata file, under <paramref name="dataDirectory"/>
    /// (e.g. <c>jobs/fetch-kaggle/data</c>). Days already there are kept.
    /// </summary>
    public async Task WriteLegacyLayoutAsync(
        string dataDirectory, PartitionDate firstDay, int days, long bytesPerDay, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        var lastDay = firstDay.AddDays(days - 1);
        for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
        {
            var directory = fileSystem.Path.Combine(dataDirectory, "kaggle_raw", day.ToString());
            if (!fileSystem.Directory.Exists(directory))
            {
                await writer.WriteDayAsync(directory, day, bytesPerDay, seed, cancellationToken);
            }
        }

        fileSystem.Directory.CreateDirectory(fileSystem.Path.Combine(dataDirectory, "reports"));
        await fileSystem.File.WriteAllTextAsync(
            fileSystem.Path.Combine(dataDirectory, "reports", $"weekly_{lastDay}.html"), "<h1>דוח שבועי</h1>\n", cancellationToken);
        fileSystem.Directory.CreateDirectory(fileSystem.Path.Combine(dataDirectory, "metadata"));
        await fileSystem.File.WriteAllTextAsync(
            fileSystem.Path.Combine(dataDirectory, "metadata", $"fetch_{lastDay}.json"), "{\"status\":\"ok\"}\n", cancellationToken);
    }

    /// <summary>Writes one day's CSVs and a matching download manifest into <paramref name="directory"/>.</summary>
    public async Task<DownloadManifest> WritePartitionAsync(
        string directory, PartitionDate day, long bytesPerDay, int seed, CancellationToken cancellationToken = default)
    {
        await writer.WriteDayAsync(directory, day, bytesPerDay, seed, cancellationToken);
        var manifest = new DownloadManifest
        {
            DatasetId = KaggleStorageOptions.DefaultDatasetId,
            DatasetVersion = null,
            Partition = day,
            DownloadedAtUtc = timeProvider.GetUtcNow(),
            Source = Source,
            Files = await manifests.ListDayFilesAsync(directory, cancellationToken),
        };
        // The folder is staged or is a test's own, so a plain write is whole by the time anyone can see it.
        await using (var stream = fileSystem.File.Create(fileSystem.Path.Combine(directory, DownloadManifest.FileName)))
        {
            await manifests.SerializeAsync(stream, manifest, cancellationToken);
        }

        return manifest;
    }
}
