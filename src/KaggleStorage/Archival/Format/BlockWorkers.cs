using System.Collections.Concurrent;

namespace KaggleStorage.Archival;

/// <summary>
/// A few threads of its own that run CPU-bound block work (deflating, inflating) in submission order. Not the thread
/// pool: on a 2-core machine its threads would all be deflating, and the continuations of the tar writer's (or
/// reader's) file I/O would queue behind whole blocks, so the one thread that feeds the blocks starved and, on
/// average, one core worked. With the blocks here, the pool stays free for that I/O.
/// </summary>
internal sealed class BlockWorkers : IDisposable
{
    private readonly BlockingCollection<Action> _work = [];

    public BlockWorkers(int count, string name)
    {
        for (var i = 0; i < Math.Max(1, count); i++)
        {
            new Thread(Work) { IsBackground = true, Name = $"{name} {i + 1}" }.Start();
        }
    }

    /// <summary>Runs <paramref name="work"/> on one of the threads; the task completes off that thread, so awaiting it never borrows a worker.</summary>
    public Task<T> Run<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _work.Add(() =>
        {
            try
            {
                completion.SetResult(work());
            }
            catch (Exception exception)
            {
                completion.SetException(exception);
            }
        });
        return completion.Task;
    }

    /// <summary>Lets the threads end once the work already given is done.</summary>
    public void Dispose()
    {
        if (!_work.IsAddingCompleted)
        {
            _work.CompleteAdding();
        }
    }

    private void Work()
    {
        foreach (var item in _work.GetConsumingEnumerable())
        {
            item();
        }
    }
}
