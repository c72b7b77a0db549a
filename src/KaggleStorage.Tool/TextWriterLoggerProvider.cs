using Microsoft.Extensions.Logging;

namespace KaggleStorage.Tool;

/// <summary>
/// Logs one line per message to the tool's error writer, so warnings never mix with results on stdout
/// (which must stay pure JSON under <c>--json</c>) and tests can capture them.
/// </summary>
internal sealed class TextWriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new TextWriterLogger(writer);

    public void Dispose()
    {
    }

    private sealed class TextWriterLogger(TextWriter writer) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Warning => "warning",
                LogLevel.Error or LogLevel.Critical => "error",
                _ => logLevel.ToString().ToLowerInvariant(),
            };
            lock (writer)
            {
                try
                {
                    writer.WriteLine($"{level}: {formatter(state, exception)}");
                }
                catch (OutputClosedException)
                {
                    // A log line from a background thread (the lock's heartbeat) must not end the process with a
                    // stack trace; the command itself stops at its next write of a result.
                }
            }
        }
    }
}
