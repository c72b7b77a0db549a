namespace KaggleStorage.Tool.Rendering;

/// <summary>
/// A single self-overwriting progress line on a terminal; on anything else it prints nothing, so logs and pipes
/// get only the plain result lines.
/// </summary>
internal sealed class ProgressLine(ToolConsole console) : IDisposable
{
    private readonly object _gate = new();
    private DateTime _lastDraw;
    private int _lastLength;

    public void Update(string text)
    {
        if (!console.IsInteractive)
        {
            return;
        }

        lock (_gate)
        {
            var now = DateTime.UtcNow;
            if (now - _lastDraw < TimeSpan.FromMilliseconds(100))
            {
                return;
            }

            _lastDraw = now;
            console.Out.Write("\r" + text.PadRight(_lastLength));
            _lastLength = text.Length;
        }
    }

    public static string Bar(double fraction, int width = 24)
    {
        var filled = (int)Math.Round(Math.Clamp(fraction, 0, 1) * width);
        return "[" + new string('#', filled) + new string('.', width - filled) + "]";
    }

    public void Dispose()
    {
        if (console.IsInteractive && _lastLength > 0)
        {
            lock (_gate)
            {
                console.Out.Write("\r" + new string(' ', _lastLength) + "\r");
                _lastLength = 0;
            }
        }
    }
}
