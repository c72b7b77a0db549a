namespace KaggleStorage.Layout;

/// <summary>What <c>status --check</c> calls unhealthy (section <c>KaggleStorage:Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>
    /// The newest raw day may be at most this many days old (a day the download recorded as unchanged counts as
    /// fresh). Default 2: yesterday's 02:00 run may still be running.
    /// </summary>
    public int MaxRawAgeDays { get; set; } = 2;
}
