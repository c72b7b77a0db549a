using KaggleStorage.Archival;
using KaggleStorage.IO;
using KaggleStorage.Layout;
using KaggleStorage.Status;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Archival;

/// <summary>Scrub picks the least recently proven archives, skips days that change under it, and status knows what it proved.</summary>
public sealed class ScrubServiceTests
{
    private readonly TestStore _store = new(health: new HealthOptions { MaxUnverifiedDays = 45 });
    private readonly PartitionArchiver _archiver;
    private readonly ScrubService _scrub;
    private readonly HookedStore _archives;

    public ScrubServiceTests()
    {
        _archives = new HookedStore(_store.Archives);
        _archiver = new PartitionArchiver(_store.Layout, _store.FileSystem, _store.Manifests, _store.Time, _store.Archives, _store.Verifier);
        var verifier = new ArchiveVerifier(_store.FileSystem, _store.Manifests, _archiver, _archives);
        _scrub = new ScrubService(
            _store.Layout,
            _store.Lock,
            _archives,
            verifier,
            _store.Manifests,
            new ScrubLedger(_store.Layout, _store.FileSystem, _store.Manifests),
            _store.Time,
            Options.Create(new ScrubOptions { CycleDays = 3 }),
            NullLogger<ScrubService>.Instance);
    }

    [Fact]
    public async Task A_day_pruned_while_the_scrub_reads_it_is_skipped_not_reported_damaged()
    {
        await ArchiveAsync("20241020", "20241021", "20241022");
        var plan = await _scrub.PlanAsync(3);

        // Prune removes the index first, then the archive: one day goes between the reading of its index and the
        // opening of its archive, the other before its reading begins.
        _archives.BeforeOpenRead = name =>
        {
            if (name == "20241021.tar.gz")
            {
                _store.FileSystem.File.Delete(ArchivePath("20241021") + ArchiveIndex.Suffix);
                _store.FileSystem.File.Delete(ArchivePath("20241021"));
            }
        };
        var progress = new CallbackProgress<OperationProgress>(p =>
        {
            if (p.Lines.Count == 0 && p.Current == "20241022")
            {
                _store.FileSystem.File.Delete(ArchivePath("20241022") + ArchiveIndex.Suffix);
                _store.FileSystem.File.Delete(ArchivePath("20241022"));
            }
        });
        var result = await _scrub.ExecuteAsync(plan, progress);

        Assert.Equal(["20241020", "20241021", "20241022"], plan.Days.Select(d => d.Date.ToString()));
        Assert.Equal(["sound", "skipped", "skipped"], result.Archives.Select(a => a.Status));
        Assert.True(result.IsValid);
    }

    [Fact]
    public async Task Status_check_names_archives_unproven_past_MaxUnverifiedDays_and_whose_last_scrub_failed_until_archived_again()
    {
        await ArchiveAsync("20241020", "20241021");
        var created = _store.Time.GetUtcNow();
        _store.Time.Advance(TimeSpan.FromDays(46));

        var old = await _store.Scanner.ScanAsync();
        var sound = await _scrub.ExecuteAsync(await _scrub.PlanAsync(1));
        var afterOne = await _store.Scanner.ScanAsync();
        Flip(ArchivePath("20241021"));
        var damaged = await _scrub.ExecuteAsync(await _scrub.PlanAsync(1));
        var failed = await _store.Scanner.ScanAsync();
        _store.FileSystem.File.Move(ArchivePath("20241021"), "/elsewhere.tar.gz");
        _store.FileSystem.File.Delete(ArchivePath("20241021") + ArchiveIndex.Suffix);
        await ArchiveAsync("20241021");
        var repaired = await _store.Scanner.ScanAsync();

        Assert.Equal(created, old.Partitions[0].ArchiveVerifiedAtUtc);
        Assert.Equal(2, old.HealthProblems.Count(p => p.Contains("MaxUnverifiedDays (45)", StringComparison.Ordinal)));
        Assert.Equal(["sound"], sound.Archives.Select(a => a.Status));
        Assert.Equal(_store.Time.GetUtcNow(), afterOne.Partitions[0].ArchiveVerifiedAtUtc);
        Assert.Equal([$"20241021: the archive was last verified on 20241027, 46 days ago, more than KaggleStorage:Health:MaxUnverifiedDays (45); run scrub"],
            afterOne.HealthProblems.Where(p => p.Contains("verified", StringComparison.Ordinal) || p.Contains("scrub", StringComparison.Ordinal)));
        Assert.Equal(PartitionDate.Parse("20241021"), Assert.Single(damaged.Archives).Date);
        Assert.Equal("damaged", damaged.Archives[0].Status);
        Assert.False(damaged.IsValid);
        Assert.True(failed.Partitions[1].ArchiveScrubFailed);
        Assert.Contains(failed.HealthProblems, p => p.StartsWith("20241021: the archive /data/kaggle/archive/20241021.tar.gz failed its last scrub", StringComparison.Ordinal));
        Assert.False(repaired.Partitions[1].ArchiveScrubFailed);
        Assert.Equal(_store.Time.GetUtcNow(), repaired.Partitions[1].ArchiveVerifiedAtUtc);
        Assert.DoesNotContain(repaired.HealthProblems, p => p.Contains("scrub", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_count_a_scrub_reads_a_cycles_share_and_every_overdue_archive()
    {
        await ArchiveAsync("20241014", "20241015", "20241016", "20241017", "20241018", "20241019", "20241020");

        var share = await _scrub.PlanAsync();
        _store.Time.Advance(TimeSpan.FromDays(4));
        var overdue = await _scrub.PlanAsync();

        Assert.Equal(3, share.Days.Count);
        Assert.Equal(["20241014", "20241015", "20241016"], share.Days.Select(d => d.Date.ToString()));
        Assert.Equal(7, overdue.Days.Count);
        Assert.Equal(7, overdue.Overdue);
    }

    [Fact]
    public async Task The_least_recently_proven_archives_are_read_first_so_runs_rotate_through_all()
    {
        await ArchiveAsync("20241018", "20241019", "20241020", "20241021");
        var read = new List<string>();
        for (var run = 0; run < 2; run++)
        {
            _store.Time.Advance(TimeSpan.FromHours(1));
            var result = await _scrub.ExecuteAsync(await _scrub.PlanAsync(2));
            read.AddRange(result.Archives.Select(a => a.Date.ToString()));
        }

        Assert.Equal(["20241018", "20241019", "20241020", "20241021"], read);
    }

    private string ArchivePath(string day) => _store.Archives.Describe(ArchiveNames.Archive(PartitionDate.Parse(day)));

    private void Flip(string path)
    {
        var bytes = _store.FileSystem.File.ReadAllBytes(path);
        bytes[bytes.Length / 2] ^= 0x40;
        _store.FileSystem.File.WriteAllBytes(path, bytes);
    }

    private async Task ArchiveAsync(params string[] days)
    {
        foreach (var day in days)
        {
            if (!_store.FileSystem.Directory.Exists(_store.RawDay(day)))
            {
                await _store.AddRawPartitionAsync(day, ("prices.csv", string.Concat(Enumerable.Range(0, 2000).Select(i => $"{day},{i},{i * 7 % 13}\n"))));
            }

            await using var held = await _store.Lock.AcquireAsync("test", CancellationToken.None);
            await _archiver.ArchiveAsync(held, PartitionDate.Parse(day), force: false, progress: null, CancellationToken.None);
        }
    }

    /// <summary>The store's archive store, with a hook before an object is opened.</summary>
    private sealed class HookedStore(IArchiveStore inner) : IArchiveStore
    {
        public Action<string>? BeforeOpenRead { get; set; }

        public ArchiveStoreKind Kind => inner.Kind;

        public string Location => inner.Location;

        public bool IsOnStoreVolume => inner.IsOnStoreVolume;

        public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => inner.ExistsAsync(cancellationToken);

        public string Describe(string name) => inner.Describe(name);

        public Task<IReadOnlyList<ArchiveObjectInfo>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public Task<ArchiveObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default) => inner.GetInfoAsync(name, cancellationToken);

        public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default)
        {
            BeforeOpenRead?.Invoke(name);
            return inner.OpenReadAsync(name, cancellationToken);
        }

        public Task DeleteAsync(string name, CancellationToken cancellationToken = default) => inner.DeleteAsync(name, cancellationToken);

        public Task PutAsync(KaggleStorage.Locking.StoreLockHandle held, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default) =>
            inner.PutAsync(held, name, write, cancellationToken);

        public Task<IStagedArchiveObject> StageAsync(KaggleStorage.Locking.StoreLockHandle held, string name, CancellationToken cancellationToken = default) =>
            inner.StageAsync(held, name, cancellationToken);

        public Task<int> RemoveLeftoversAsync(KaggleStorage.Locking.StoreLockHandle held, CancellationToken cancellationToken = default) =>
            inner.RemoveLeftoversAsync(held, cancellationToken);
    }
}
