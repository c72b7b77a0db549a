using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Status;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Retention;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KaggleStorage.Tests;

/// <summary>A store over MockFileSystem and FakeTimeProvider with the library's services wired by hand.</summary>
internal sealed class TestStore
{
    public const string Root = "/data/kaggle";

    public TestStore(
        KaggleStorageOptions? options = null, Func<LockHolder, bool>? isProcessAlive = null, DateTimeOffset? now = null, RetentionOptions? retention = null,
        HealthOptions? health = null)
    {
        Options = options ?? new KaggleStorageOptions { Root = Root };
        Retention = retention ?? new RetentionOptions();
        FileSystem = new MockFileSystem();

        // Only init makes a store; every test store starts as one that exists (its areas may be missing).
        FileSystem.Directory.CreateDirectory(Options.Root);
        Time = new FakeTimeProvider(now ?? new DateTimeOffset(2024, 10, 27, 2, 0, 0, TimeSpan.Zero));
        Layout = new StorageLayout(Microsoft.Extensions.Options.Options.Create(Options), FileSystem);
        Manifests = new ManifestStore(FileSystem);
        Fingerprinter = new FileFingerprinter(FileSystem);
        Verifier = new DownloadManifestVerifier(FileSystem, Manifests, Fingerprinter);
        Lock = new StoreLock(
            Layout, FileSystem, Time, Microsoft.Extensions.Options.Options.Create(Options), NullLogger<StoreLock>.Instance,
            isProcessAlive ?? (_ => true));
        Calendar = new StoreCalendar(Time, Microsoft.Extensions.Options.Options.Create(Options));
        Archives = new KaggleStorage.Archival.FileSystemArchiveStore(Layout, FileSystem);
        Planner = new RetentionPlanner(Layout, FileSystem, Calendar, Microsoft.Extensions.Options.Options.Create(Retention), Archives);
        Scanner = new StoreStatusScanner(
            Layout, FileSystem, Verifier, Lock, Planner, Calendar, Microsoft.Extensions.Options.Options.Create(Retention),
            Microsoft.Extensions.Options.Options.Create(health ?? new HealthOptions()), Archives,
            new KaggleStorage.Archival.PartitionArchiver(Layout, FileSystem, Manifests, Time, Archives, Verifier),
            new KaggleStorage.Archival.ScrubLedger(Layout, FileSystem, Manifests), Manifests);
    }

    public KaggleStorageOptions Options { get; }

    public RetentionOptions Retention { get; }

    public MockFileSystem FileSystem { get; }

    public FakeTimeProvider Time { get; }

    public StorageLayout Layout { get; }

    public ManifestStore Manifests { get; }

    public FileFingerprinter Fingerprinter { get; }

    public DownloadManifestVerifier Verifier { get; }

    public StoreLock Lock { get; }

    public KaggleStorage.Archival.IArchiveStore Archives { get; }

    public StoreStatusScanner Scanner { get; }

    public StoreCalendar Calendar { get; }

    public RetentionPlanner Planner { get; }

    public string RawDay(string date) => Layout.GetDateDirectory(StorageArea.Raw, PartitionDate.Parse(date));

    /// <summary>Writes files into raw/date and a manifest that matches them.</summary>
    public async Task<DownloadManifest> AddRawPartitionAsync(string date, params (string Name, string Content)[] files)
    {
        var directory = RawDay(date);
        FileSystem.Directory.CreateDirectory(directory);
        foreach (var (name, content) in files)
        {
            FileSystem.File.WriteAllText(FileSystem.Path.Combine(directory, name), content);
        }

        var manifest = new DownloadManifest
        {
            DatasetId = KaggleStorageOptions.DefaultDatasetId,
            Partition = PartitionDate.Parse(date),
            DownloadedAtUtc = Time.GetUtcNow(),
            Source = "test",
            Files = await Fingerprinter.ComputePartitionAsync(directory),
        };
        await Manifests.WriteAsync(FileSystem.Path.Combine(directory, DownloadManifest.FileName), manifest);
        return manifest;
    }
}
