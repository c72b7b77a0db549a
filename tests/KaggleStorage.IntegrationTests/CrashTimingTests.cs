using System.Diagnostics;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>The crash tests' observer: it must see the moment it waits for whatever else the test process is doing.</summary>
public sealed class CrashTimingTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task The_moment_is_seen_while_the_test_framework_holds_every_continuation()
    {
        // Measured on the prune test's first trial: the test's own continuations (after Task.Delay) came up to a
        // second late, and a child left running that long on a quiet machine did all its work unseen. Here every
        // continuation of the test is held until the child is gone, so an observer that waits for one looks again
        // only after the child exited; the child reaches its moment long before that.
        var moment = _temp.Combine("moment");
        using var child = Process.Start(new ProcessStartInfo("bash", ["-c", $"sleep 0.2; : > '{moment}'; sleep 3"]) { UseShellExecute = false })!;
        var held = new HeldContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(held);
        var releaser = new Thread(() =>
        {
            child.WaitForExit();
            held.Release();
        });
        releaser.Start();

        bool killed;
        try
        {
            killed = await CrashTiming.KillWhenAsync(child, () => File.Exists(moment));
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }

        releaser.Join();
        Assert.True(killed, "the child exited before the observer looked again");
        Assert.Equal(137, child.ExitCode);
    }

    /// <summary>Runs nothing posted to it until released, then everything, in order, on a thread of its own.</summary>
    private sealed class HeldContext : SynchronizationContext
    {
        private readonly List<(SendOrPostCallback Callback, object? State)> _held = [];
        private bool _released;

        public override void Post(SendOrPostCallback d, object? state)
        {
            lock (_held)
            {
                if (!_released)
                {
                    _held.Add((d, state));
                    return;
                }
            }

            ThreadPool.QueueUserWorkItem(_ => d(state));
        }

        public void Release()
        {
            lock (_held)
            {
                _released = true;
            }

            foreach (var (callback, state) in _held)
            {
                ThreadPool.QueueUserWorkItem(_ => callback(state));
            }
        }
    }
}
