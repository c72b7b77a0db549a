namespace KaggleStorage.Archival;

/// <summary>How <c>scrub</c> spreads the reading of archives over the nights (section <c>KaggleStorage:Scrub</c>).</summary>
public sealed class ScrubOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KaggleStorage:Scrub";

    /// <summary>
    /// Every archive is read end to end at least once in this many days: a scrub without <c>--days</c> reads
    /// ceil(archives / CycleDays) archives, and more when some are already overdue. Default 30.
    /// </summary>
    public int CycleDays { get; set; } = 30;
}
