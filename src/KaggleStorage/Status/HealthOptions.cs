using KaggleStorage.Layout;
namespace KaggleStorage.Status;

/// <summary>What <c>status --check</c> calls unhealthy (section <c>KaggleStorage:Health</c>).</summary>
public sealed class HealthOptions
{
    /// <summary>The configuration section.</summary>
    internal const string SectionName = "KaggleStorage:Health";

    /// <summary>
    /// The newest raw day may be at most this many days old (a day the download recorded as unchanged counts as
    /// fresh). Default 2: yesterday's 02:00 run may still be running.
    /// </summary>
    public int MaxRawAgeDays { get; set; } = 2;

    /// <summary>
    /// Every archive must have been proven whole (read end to end by <c>scrub</c>, or read back when it was written)
    /// within this many days. Default 45: half a month more than the scrub's cycle of 30.
    /// </summary>
    public int MaxUnverifiedDays { get; set; } = 45;
}

/// <summary>Checks <see cref="HealthOptions"/> when the host starts.</summary>
internal sealed class HealthOptionsValidator : Microsoft.Extensions.Options.IValidateOptions<HealthOptions>
{
    public Microsoft.Extensions.Options.ValidateOptionsResult Validate(string? name, HealthOptions options) =>
        options.MaxRawAgeDays < 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("KaggleStorage:Health:MaxRawAgeDays must not be negative.")
            : options.MaxUnverifiedDays < 0
            ? Microsoft.Extensions.Options.ValidateOptionsResult.Fail("KaggleStorage:Health:MaxUnverifiedDays must not be negative.")
            : Microsoft.Extensions.Options.ValidateOptionsResult.Success;
}
