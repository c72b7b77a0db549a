namespace KaggleStorage.IO;

/// <summary>
/// Passes each report on at once, on the reporting thread. <see cref="Progress{T}"/> would post it to the thread
/// pool, so the caller's reports could arrive out of order and after the operation returned.
/// </summary>
internal sealed class CallbackProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
