using System.Text.Json;
using KaggleStorage.Layout;
using KaggleStorage.Locking;

namespace KaggleStorage.Tests.Locking;

public sealed class StoreLockTests
{
    [Fact]
    public async Task Lock_file_holds_host_pid_command_and_time_and_is_removed_on_release()
    {
        var store = new TestStore();

        await using (var handle = await store.Lock.AcquireAsync("migrate", CancellationToken.None))
        {
            using var json = JsonDocument.Parse(store.FileSystem.File.ReadAllText(store.Lock.LockPath));
            Assert.Equal(Environment.MachineName, json.RootElement.GetProperty("host").GetString());
            Assert.Equal(Environment.ProcessId, json.RootElement.GetProperty("processId").GetInt32());
            Assert.Equal("migrate", json.RootElement.GetProperty("command").GetString());
            Assert.Equal(store.Time.GetUtcNow(), json.RootElement.GetProperty("acquiredAtUtc").GetDateTimeOffset());
            Assert.Equal("/data/kaggle/.locks/store.lock", handle.LockPath);
        }

        Assert.False(store.FileSystem.File.Exists(store.Lock.LockPath));
    }

    [Fact]
    public async Task Second_holder_fails_fast_naming_the_first()
    {
        var store = new TestStore();
        WriteForeignLock(store, "pod-a", 4242, "archive", store.Time.GetUtcNow().AddMinutes(-5));

        var exception = await Assert.ThrowsAsync<StoreLockedException>(() => store.Lock.AcquireAsync("prune", CancellationToken.None));

        Assert.Contains("locked by pod-a pid 4242 (archive) since 2024-10-27 01:55:00Z", exception.Message, StringComparison.Ordinal);
        Assert.StartsWith("pod-a pid ", exception.Holder, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lock_of_another_host_older_than_the_stale_age_is_taken_over()
    {
        var store = new TestStore(new KaggleStorageOptions { Root = TestStore.Root, LockStaleAfter = TimeSpan.FromHours(6) });
        WriteForeignLock(store, "pod-a", 4242, "archive", store.Time.GetUtcNow().AddHours(-6).AddMinutes(-1));

        await using var handle = await store.Lock.AcquireAsync("prune", CancellationToken.None);

        Assert.Equal("prune", store.Lock.GetHolder()?.Command);
        Assert.Single(store.FileSystem.Directory.GetFiles(store.Layout.LocksDirectory));
    }

    [Fact]
    public async Task Lock_of_another_host_younger_than_the_stale_age_is_respected()
    {
        var store = new TestStore(new KaggleStorageOptions { Root = TestStore.Root, LockStaleAfter = TimeSpan.FromHours(6) });
        WriteForeignLock(store, "pod-a", 4242, "archive", store.Time.GetUtcNow().AddHours(-5));

        await Assert.ThrowsAsync<StoreLockedException>(() => store.Lock.AcquireAsync("prune", CancellationToken.None));
        Assert.Equal("archive", store.Lock.GetHolder()?.Command);
    }

    [Fact]
    public async Task Lock_of_a_dead_process_on_this_host_is_taken_over_at_once()
    {
        var store = new TestStore(isProcessAlive: holder => holder.ProcessId != 4242);
        WriteForeignLock(store, Environment.MachineName, 4242, "archive", store.Time.GetUtcNow());

        await using var handle = await store.Lock.AcquireAsync("prune", CancellationToken.None);

        Assert.Equal(Environment.ProcessId, store.Lock.GetHolder()?.ProcessId);
    }

    [Fact]
    public async Task Lock_of_a_live_process_on_this_host_is_respected()
    {
        var store = new TestStore(isProcessAlive: _ => true);
        WriteForeignLock(store, Environment.MachineName, 4242, "archive", store.Time.GetUtcNow());

        await Assert.ThrowsAsync<StoreLockedException>(() => store.Lock.AcquireAsync("prune", CancellationToken.None));
    }

    [Fact]
    public async Task Lock_with_our_pid_but_another_process_start_time_is_an_earlier_incarnation()
    {
        var store = new TestStore();
        var realLock = new StoreLock(
            store.Layout, store.FileSystem, store.Time, Microsoft.Extensions.Options.Options.Create(store.Options),
            Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreLock>.Instance);
        WriteForeignLock(store, Environment.MachineName, Environment.ProcessId, "download", store.Time.GetUtcNow(), startedAt: DateTimeOffset.UtcNow.AddDays(-1));

        await using var handle = await realLock.AcquireAsync("download", CancellationToken.None);

        Assert.Equal(handle.Holder.Token, realLock.GetHolder()?.Token);
    }

    [Fact]
    public async Task Lock_of_another_instance_in_this_same_process_is_respected()
    {
        var store = new TestStore();
        var options = Microsoft.Extensions.Options.Options.Create(store.Options);
        var logger = Microsoft.Extensions.Logging.Abstractions.NullLogger<StoreLock>.Instance;
        var first = new StoreLock(store.Layout, store.FileSystem, store.Time, options, logger);
        var second = new StoreLock(store.Layout, store.FileSystem, store.Time, options, logger);
        await using var held = await first.AcquireAsync("migrate", CancellationToken.None);

        await Assert.ThrowsAsync<StoreLockedException>(() => second.AcquireAsync("archive", CancellationToken.None));
    }

    [Fact]
    public async Task The_same_process_cannot_take_its_own_lock_twice()
    {
        var store = new TestStore();
        await using var first = await store.Lock.AcquireAsync("migrate", CancellationToken.None);

        await Assert.ThrowsAsync<StoreLockedException>(() => store.Lock.AcquireAsync("archive", CancellationToken.None));
    }

    [Fact]
    public async Task A_waiting_acquirer_gets_the_lock_once_it_is_released()
    {
        var store = new TestStore();
        var first = await store.Lock.AcquireAsync("migrate", CancellationToken.None);

        var waiting = store.Lock.AcquireAsync("archive", TimeSpan.FromMinutes(1), CancellationToken.None);
        store.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(waiting.IsCompleted);
        await first.DisposeAsync();
        store.Time.Advance(TimeSpan.FromSeconds(1));
        await using var second = await waiting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("archive", second.Holder.Command);
    }

    [Fact]
    public async Task A_waiting_acquirer_gives_up_after_the_timeout()
    {
        var store = new TestStore();
        await using var first = await store.Lock.AcquireAsync("migrate", CancellationToken.None);

        var waiting = store.Lock.AcquireAsync("archive", TimeSpan.FromSeconds(2), CancellationToken.None);
        for (var i = 0; i < 20 && !waiting.IsCompleted; i++)
        {
            store.Time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(10);
        }

        await Assert.ThrowsAsync<StoreLockedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task Release_does_not_remove_a_lock_that_was_taken_over()
    {
        var store = new TestStore();
        var handle = await store.Lock.AcquireAsync("migrate", CancellationToken.None);
        store.FileSystem.File.Delete(store.Lock.LockPath);
        WriteForeignLock(store, "pod-b", 7, "prune", store.Time.GetUtcNow());

        await handle.DisposeAsync();

        Assert.Equal("pod-b", store.Lock.GetHolder()?.Host);
    }

    private static void WriteForeignLock(
        TestStore store, string host, int pid, string command, DateTimeOffset since, DateTimeOffset? startedAt = null)
    {
        store.FileSystem.Directory.CreateDirectory(store.Layout.LocksDirectory);
        var holder = new LockHolder(host, pid, command, since, Guid.NewGuid().ToString("N"), startedAt);
        store.FileSystem.File.WriteAllText(
            store.Lock.LockPath,
            JsonSerializer.Serialize(holder, KaggleStorage.Locking.LockJsonContext.Default.LockHolder));
    }
}
