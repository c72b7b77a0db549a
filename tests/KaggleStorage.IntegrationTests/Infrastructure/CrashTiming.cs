using System.Diagnostics;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// Kills a child process at a random moment of its real work: the clock starts when the process takes the store
/// lock (so process start-up, which varies a lot on a loaded machine, does not eat the window).
/// </summary>
public static class CrashTiming
{
    public static async Task<bool> KillDuringWorkAsync(Process process, string root, Random random, int maxDelayMilliseconds)
    {
        var lockFile = Path.Combine(root, ".locks", "store.lock");
        var waited = Stopwatch.StartNew();
        while (!File.Exists(lockFile) && !process.HasExited && waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            await Task.Delay(5);
        }

        await Task.Delay(random.Next(0, maxDelayMilliseconds));
        var wasRunning = !process.HasExited;
        process.Kill();
        await process.WaitForExitAsync();
        return wasRunning;
    }
}
