using System.Diagnostics;
using System.Text.Json;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.IntegrationTests;

public sealed class StoreLockProcessTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Lock_left_by_a_killed_process_on_this_host_is_taken_over()
    {
        var storeLock = CreateLock();
        using var doomed = Process.Start(new ProcessStartInfo("sleep", "60"))!;
        WriteLock(storeLock, doomed.Id);
        await Assert.ThrowsAsync<StoreLockedException>(() => storeLock.AcquireAsync("prune", CancellationToken.None));

        doomed.Kill();
        await doomed.WaitForExitAsync();
        await using var handle = await storeLock.AcquireAsync("prune", CancellationToken.None);

        Assert.Equal(Environment.ProcessId, storeLock.GetHolder()?.ProcessId);
    }

    [Fact]
    public async Task Lock_of_a_zombie_process_on_this_host_is_taken_over_by_the_tool()
    {
        var root = _temp.Combine("store");
        Assert.Equal(0, (await ToolProcess.RunAsync("--root", root, "init")).ExitCode);

        // The background child exits at once, and its parent (now exec'd into sleep) never waits for it: a zombie
        // whose pid still answers signals.
        var startInfo = new ProcessStartInfo("sh") { RedirectStandardOutput = true, UseShellExecute = false };
        startInfo.ArgumentList.Add("-c");
        startInfo.ArgumentList.Add("sleep 0 & echo $!; exec sleep 120");
        using var parent = Process.Start(startInfo)!;
        try
        {
            var zombie = int.Parse((await parent.StandardOutput.ReadLineAsync())!, System.Globalization.CultureInfo.InvariantCulture);
            for (var attempt = 0; attempt < 200 && !IsZombie(zombie); attempt++)
            {
                await Task.Delay(50);
            }

            Assert.True(IsZombie(zombie), $"process {zombie} never became a zombie");
            var lockPath = Path.Combine(root, ".locks", StoreLock.LockFileName);
            Directory.CreateDirectory(Path.GetDirectoryName(lockPath)!);
            var holder = new LockHolder(Environment.MachineName, zombie, "archive", DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"));
            await File.WriteAllTextAsync(lockPath, JsonSerializer.Serialize(holder, KaggleStorage.Locking.LockJsonContext.Default.LockHolder));

            var prune = await ToolProcess.RunAsync("--root", root, "prune");

            Assert.True(prune.ExitCode == 0, prune.ToString());
            Assert.Contains($"process {zombie} that took it no longer runs on this host", prune.StdErr, StringComparison.Ordinal);
            Assert.False(File.Exists(lockPath));
        }
        finally
        {
            parent.Kill();
            await parent.WaitForExitAsync();
        }
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_acquirers_wins()
    {
        var locks = Enumerable.Range(0, 8).Select(_ => CreateLock()).ToList();

        var attempts = await Task.WhenAll(locks.Select(l => Task.Run(async () =>
        {
            try
            {
                return await l.AcquireAsync("race", CancellationToken.None);
            }
            catch (StoreLockedException)
            {
                return null;
            }
        })));

        Assert.Single(attempts, a => a is not null);
    }

    private static bool IsZombie(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        return stat[stat.LastIndexOf(')') + 2] == 'Z';
    }

    private StoreLock CreateLock()
    {
        var options = Options.Create(new KaggleStorageOptions { Root = _temp.Path });
        var fileSystem = new System.IO.Abstractions.FileSystem();
        return new StoreLock(new StorageLayout(options, fileSystem), fileSystem, TimeProvider.System, options, NullLogger<StoreLock>.Instance);
    }

    private static void WriteLock(StoreLock storeLock, int pid)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(storeLock.LockPath)!);
        var holder = new LockHolder(Environment.MachineName, pid, "archive", DateTimeOffset.UtcNow, Guid.NewGuid().ToString("N"));
        File.WriteAllText(storeLock.LockPath, JsonSerializer.Serialize(holder, KaggleStorage.Locking.LockJsonContext.Default.LockHolder));
    }
}
