using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Locking;

namespace KaggleStorage.Tests.Locking;

public sealed class StoreLockHeartbeatTests
{
    [Fact]
    public async Task Holder_refreshes_the_lock_on_its_heartbeat_so_a_long_job_never_goes_stale()
    {
        var store = new TestStore();
        await using var handle = await store.Lock.AcquireAsync("migrate", CancellationToken.None);

        for (var i = 0; i < 24; i++)
        {
            store.Time.Advance(TimeSpan.FromMinutes(5));
        }

        var status = store.Lock.GetStatus();
        Assert.Equal(LockState.Held, status.State);
        Assert.Equal(store.Time.GetUtcNow(), status.Holder?.RefreshedAtUtc);
        Assert.Equal(handle.Holder.AcquiredAtUtc.AddHours(2), status.Holder?.RefreshedAtUtc);
        handle.EnsureHeld();
    }

    [Fact]
    public async Task Lock_of_another_host_not_refreshed_for_the_stale_age_is_stale_and_taken_over()
    {
        var store = new TestStore();
        WriteForeignLock(store, "pod-a", refreshedMinutesAgo: 31);

        Assert.Equal(LockState.Stale, store.Lock.GetStatus().State);
        await using var handle = await store.Lock.AcquireAsync("prune", CancellationToken.None);
        Assert.Equal("prune", store.Lock.GetHolder()?.Command);
    }

    [Fact]
    public async Task Lock_taken_hours_ago_but_refreshed_recently_is_held()
    {
        var store = new TestStore();
        WriteForeignLock(store, "pod-a", refreshedMinutesAgo: 4, acquiredHoursAgo: 9);

        Assert.Equal(LockState.Held, store.Lock.GetStatus().State);
        await Assert.ThrowsAsync<StoreLockedException>(() => store.Lock.AcquireAsync("prune", CancellationToken.None));
    }

    [Fact]
    public async Task Empty_lock_file_is_held_during_the_grace_then_stale()
    {
        var store = new TestStore();
        store.FileSystem.Directory.CreateDirectory(store.Layout.LocksDirectory);
        store.FileSystem.File.WriteAllBytes(store.Lock.LockPath, []);
        store.FileSystem.File.SetLastWriteTimeUtc(store.Lock.LockPath, store.Time.GetUtcNow().UtcDateTime.AddSeconds(-10));

        Assert.Equal(LockState.Held, store.Lock.GetStatus().State);
        await Assert.ThrowsAsync<StoreLockedException>(() => store.Lock.AcquireAsync("archive", CancellationToken.None));

        store.FileSystem.File.SetLastWriteTimeUtc(store.Lock.LockPath, store.Time.GetUtcNow().UtcDateTime.AddMinutes(-2));
        Assert.Equal(LockState.Stale, store.Lock.GetStatus().State);
        await using var handle = await store.Lock.AcquireAsync("archive", CancellationToken.None);
        Assert.Equal("archive", store.Lock.GetHolder()?.Command);
    }

    [Fact]
    public async Task A_holder_whose_lock_was_taken_over_publishes_nothing_and_its_long_work_is_cancelled()
    {
        var store = new TestStore();
        await using var handle = await store.Lock.AcquireAsync("archive", CancellationToken.None);
        var staged = handle.CreateStagedDirectory("archive-20241026");
        store.FileSystem.File.WriteAllText(store.FileSystem.Path.Combine(staged.Path, "prices.csv"), "h\n1\n");

        // Another host decided the lock was stale and took it.
        store.FileSystem.File.Delete(store.Lock.LockPath);
        WriteForeignLock(store, "pod-b", refreshedMinutesAgo: 0);
        store.Time.Advance(TimeSpan.FromMinutes(5));

        Assert.True(handle.LostToken.IsCancellationRequested);
        var destination = store.RawDay("20241026");
        await Assert.ThrowsAsync<StoreLockLostException>(() => staged.PublishAsync(destination));
        Assert.False(store.FileSystem.Directory.Exists(destination));
        Assert.Equal("pod-b", store.Lock.GetHolder()?.Host);
    }

    [Fact]
    public async Task Taking_the_lock_removes_what_a_killed_holder_staged_but_keeps_its_own()
    {
        var store = new TestStore();
        var leftover = store.FileSystem.Path.Combine(store.Layout.StagingDirectory, "0123456789ab-restore-20241026-abc");
        store.FileSystem.AddFile(store.FileSystem.Path.Combine(leftover, "raw/20241026/prices.csv"), new("h\n1\n"));
        Assert.Single(store.Lock.ListLeftovers());

        await using var handle = await store.Lock.AcquireAsync("archive", CancellationToken.None);
        using var mine = handle.CreateStagedDirectory("archive-20241027");

        Assert.False(store.FileSystem.Directory.Exists(leftover));
        Assert.Equal(1, handle.LeftoversRemoved);
        Assert.Empty(store.Lock.ListLeftovers());
    }

    [Fact]
    public async Task Interrupted_replace_puts_the_old_day_back_when_the_next_holder_cleans_up()
    {
        var store = new TestStore();
        var day = store.RawDay("20241026");
        store.FileSystem.AddFile(store.FileSystem.Path.Combine(day, "prices.csv"), new("old"));

        // What a replace leaves when killed between moving the old day aside and moving the new one in.
        var aside = store.FileSystem.Path.Combine(store.Layout.StagingDirectory, "0123456789ab-download-20241026-abc.aside");
        store.FileSystem.Directory.CreateDirectory(store.Layout.StagingDirectory);
        store.FileSystem.File.WriteAllText(aside + ".target", day);
        store.FileSystem.Directory.Move(day, aside);

        await using var handle = await store.Lock.AcquireAsync("download", CancellationToken.None);

        Assert.Equal("old", store.FileSystem.File.ReadAllText(store.FileSystem.Path.Combine(day, "prices.csv")));
        Assert.Empty(store.FileSystem.Directory.EnumerateFileSystemEntries(store.Layout.StagingDirectory));
    }

    private static void WriteForeignLock(TestStore store, string host, int refreshedMinutesAgo, int acquiredHoursAgo = 1)
    {
        var now = store.Time.GetUtcNow();
        store.FileSystem.Directory.CreateDirectory(store.Layout.LocksDirectory);
        var holder = new LockHolder(host, 4242, "archive", now.AddHours(-acquiredHoursAgo), Guid.NewGuid().ToString("N"), null, now.AddMinutes(-refreshedMinutesAgo));
        store.FileSystem.File.WriteAllText(store.Lock.LockPath, JsonSerializer.Serialize(holder, LockJsonContext.Default.LockHolder));
    }
}
