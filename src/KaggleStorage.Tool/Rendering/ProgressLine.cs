using KaggleStorage.IO;
using System.Diagnostics;
using System.Globalization;

namespace KaggleStorage.Tool.Rendering;

/// <summary>
/// Progress of long work. On a terminal, one self-overwriting line on stdout. Elsewhere (a CronJob, a pipe), a
/// plain <c>progress:</c> line every <c>KAGGLE_STORAGE_PROGRESS_SECONDS</c> seconds (default 10) while the work
/// runs, so <c>kubectl logs</c> shows a live job; a run shorter than that prints none. With <c>--json</c>
/// (<paramref name="toError"/>) those lines go to stderr, so stdout stays one JSON document.
/// </summary>
internal sealed class ProgressLine(ToolConsole console, bool toError = false) : IDisposable
{
    public const string IntervalVariable = "KAGGLE_STORAGE_PROGRESS_SECONDS";

    private static readonly TimeSpan TerminalInterval = TimeSpan.FromMilliseconds(100);
    private readonly object _gate = new();
    private readonly Stopwatch _started = Stopwatch.StartNew();
    private readonly TimeSpan _plainInterval = ReadPlainInterval();
    private TimeSpan? _lastDraw;
    private int _lastLength;

    /// <summary>Shows <paramref name="text"/>; with byte counts, the rate and the time left are added.</summary>
    public void Update(string text, long bytesDone = -1, long bytesTotal = -1)
    {
        lock (_gate)
        {
            var now = _started.Elapsed;
            var interval = console.IsInteractive ? TerminalInterval : _plainInterval;
            var last = _lastDraw ?? (console.IsInteractive ? TimeSpan.MinValue : TimeSpan.Zero);
            if (last != TimeSpan.MinValue && now - last < interval)
            {
                return;
            }

            _lastDraw = now;
            var line = text + Rate(now, bytesDone, bytesTotal);
            if (console.IsInteractive)
            {
                console.Out.Write("\r" + line.PadRight(_lastLength));
                _lastLength = line.Length;
            }
            else
            {
                (toError ? console.Error : console.Out).WriteLine("progress: " + StripBar(line));
            }
        }
    }

    public static string Bar(double fraction, int width = 24)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    /// <summary>Removes the bar from the terminal so a result line can be printed in its place.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (console.IsInteractive && _lastLength > 0)
            {
                console.Out.Write("\r" + new string(' ', _lastLength) + "\r");
                _lastLength = 0;
            }
        }
    }

    public void Dispose() => Clear();

    private static string Rate(TimeSpan elapsed, long done, long total)
    {
        if (done < 0 || elapsed.TotalSeconds < 0.5)
        {
            return string.Empty;
        }

        var perSecond = done / elapsed.TotalSeconds;
        var left = total > done && perSecond > 0 ? $", {FormatDuration(TimeSpan.FromSeconds((total - done) / perSecond))} left" : string.Empty;
        return $", {ByteCount.Format((long)perSecond)}/s{left}";
    }

    private static string FormatDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s" : $"{Math.Ceiling(span.TotalSeconds)}s";

    private static string StripBar(string line) =>
        line.StartsWith('[') && line.IndexOf("] ", StringComparison.Ordinal) is var end and > 0 ? line[(end + 2)..] : line;

    private static TimeSpan ReadPlainInterval() =>
        double.TryParse(Environment.GetEnvironmentVariable(IntervalVariable), NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : TimeSpan.FromSeconds(10);
}
