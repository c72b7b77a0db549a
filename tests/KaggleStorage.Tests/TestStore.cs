using System.IO.Abstractions;
using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Hosting;
using KaggleStorage.Status;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Retention;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace KaggleStorage.Tests;

/// <summary>A store over MockFileSystem and FakeTimeProvider with the library's services registered by AddKaggleStorage.</summary>
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

        // The real registration, over the mock disk and clock; options are taken as given (no binding, no checks),
        // and the lock asks the test whether a holder's process lives.
        var services = new ServiceCollection()
            .AddSingleton<IFileSystem>(FileSystem)
            .AddSingleton<TimeProvider>(Time)
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(Options))
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(Retention))
            .AddSingleton(Microsoft.Extensions.Options.Options.Create(health ?? new HealthOptions()))
            .AddSingleton(p => new StoreLock(
                p.GetRequiredService<StorageLayout>(), FileSystem, Time, p.GetRequiredService<IOptions<KaggleStorageOptions>>(),
                NullLogger<StoreLock>.Instance, isProcessAlive ?? (_ => true)));
        Services = services.AddKaggleStorage(_ => { }).BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
        Layout = Services.GetRequiredService<StorageLayout>();
        Manifests = Services.GetRequiredService<ManifestStore>();
        Fingerprinter = Services.GetRequiredService<FileFingerprinter>();
        Verifier = Services.GetRequiredService<DownloadManifestVerifier>();
        Lock = Services.GetRequiredService<StoreLock>();
        Calendar = Services.GetRequiredService<StoreCalendar>();
        Archives = Services.GetRequiredService<KaggleStorage.Archival.IArchiveStore>();
        Planner = Services.GetRequiredService<RetentionPlanner>();
        Scanner = Services.GetRequiredService<StoreStatusScanner>();
    }

    /// <summary>The library's services as AddKaggleStorage registers them.</summary>
    public ServiceProvider Services { get; }

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
