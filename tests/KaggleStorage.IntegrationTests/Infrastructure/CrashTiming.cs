using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// Kills a child process at a moment the test observes, never after a random sleep: no load can make a test miss
/// its moment or kill at another one. The process is frozen (SIGSTOP) before each look, so the state the test sees
/// is the state it dies in, and a false answer means the process finished before the moment came.
/// </summary>
public static partial class CrashTiming
{
    private const int StopSignal = 19;
    private const int ContinueSignal = 18;

    /// <summary>Kills the process in the first state in which <paramref name="reached"/> holds; false when it exited first.</summary>
    public static async Task<bool> KillWhenAsync(Process process, Func<bool> reached, TimeSpan? timeout = null)
    {
        // The looks run on a thread of their own, never as continuations of the test (after a Task.Delay): in a fresh
        // test host those came up to a second late (the thread pool and the test framework's context were still
        // getting going), and a child left running that long on a quiet machine did all its work unseen.
        var hit = await Task.Factory.StartNew(
            () => StopAndLook(process, reached, timeout ?? TimeSpan.FromMinutes(2)),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        await process.WaitForExitAsync();
        return hit;
    }

    private static bool StopAndLook(Process process, Func<bool> reached, TimeSpan timeout)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < timeout)
        {
            if (process.HasExited || Signal(process.Id, StopSignal) != 0)
            {
                return false;
            }

            bool hit;
            try
            {
                hit = !process.HasExited && reached();
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // A folder the predicate walks can be renamed away by the process before it froze.
                hit = false;
            }

            if (hit)
            {
                process.Kill();
                return true;
            }

            Signal(process.Id, ContinueSignal);
            Thread.Sleep(2);
        }

        if (!process.HasExited)
        {
            process.Kill();
            Signal(process.Id, ContinueSignal);
        }

        return false;
    }

    /// <summary>
    /// Whether <c>.staging/</c> of <paramref name="root"/> holds a non-empty file, written since <paramref name="since"/>
    /// (not a leftover of an earlier killed run), whose path contains <paramref name="marker"/>.
    /// </summary>
    public static bool StagingHolds(string root, DateTime since, string marker = "")
    {
        var staging = Path.Combine(root, ".staging");
        return Directory.Exists(staging) && Directory.EnumerateFiles(staging, "*", SearchOption.AllDirectories)
            .Select(file => new FileInfo(file))
            .Any(file => file.FullName.Contains(marker, StringComparison.Ordinal) && file.Length > 0 && file.LastWriteTimeUtc >= since);
    }

    /// <summary>How many entries <paramref name="folder"/> holds (0 when it does not exist).</summary>
    public static int Count(string folder, string pattern = "*") =>
        Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder, pattern).Count() : 0;

    /// <summary>Collects what a started process prints, so a test can kill it at a line it printed.</summary>
    public static OutputSeen Watch(Process process) => new(process);

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Signal(int processId, int signal);

    /// <summary>The stdout and stderr lines of a process so far.</summary>
    public sealed class OutputSeen
    {
        private readonly StringBuilder _text = new();

        internal OutputSeen(Process process)
        {
            // Read on threads of their own, not by the thread pool's callbacks: in a busy test host those came late
            // enough that a child printed its moment and finished before the observer saw the line.
            foreach (var reader in new[] { process.StandardOutput, process.StandardError })
            {
                new Thread(() =>
                {
                    while (reader.ReadLine() is { } line)
                    {
                        Append(line);
                    }
                })
                { IsBackground = true }.Start();
            }
        }

        public string Text
        {
            get
            {
                lock (_text)
                {
                    return _text.ToString();
                }
            }
        }

        private void Append(string line)
        {
            lock (_text)
            {
                _text.Append(line).Append('\n');
            }
        }
    }
}
