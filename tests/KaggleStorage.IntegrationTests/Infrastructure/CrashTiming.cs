using System.Diagnostics;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// Kills a child process at a random moment of its real work: the clock starts when the process takes the store
/// lock (so process start-up, which varies a lot on a loaded machine, does not eat the window). Or kills it the
/// moment a state it is observed to reach appears, which no load can make it miss.
/// </summary>
public static class CrashTiming
{
    /// <summary>Kills the process as soon as <paramref name="reached"/> holds; false when it exited first.</summary>
    public static async Task<bool> KillWhenAsync(Process process, Func<bool> reached, TimeSpan? timeout = null)
    {
        var waited = Stopwatch.StartNew();
        while (!process.HasExited && waited.Elapsed < (timeout ?? TimeSpan.FromMinutes(2)))
        {
            if (reached())
            {
                process.Kill();
                await process.WaitForExitAsync();
                return true;
            }

            await Task.Delay(2);
        }

        if (!process.HasExited)
        {
            process.Kill();
        }

        await process.WaitForExitAsync();
        return false;
    }

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
