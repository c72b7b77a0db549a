namespace KaggleStorage.Tool;

/// <summary>
/// Reports on the caller's thread, in order. <see cref="Progress{T}"/> posts each report to the thread pool, so
/// reports arrive out of order and after the operation has returned, which garbles a live log.
/// </summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
