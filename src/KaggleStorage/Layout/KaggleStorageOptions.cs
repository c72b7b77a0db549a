namespace KaggleStorage.Layout;

/// <summary>
/// Settings of the store itself, bound from the configuration section <c>KaggleStorage</c>: its root, calendar,
/// dataset and lock. Each capability binds its own options from a subsection (<c>KaggleStorage:Kaggle</c>,
/// <c>:Retention</c>, <c>:Archive</c>, <c>:Health</c>) and validates them itself.
/// </summary>
public sealed class KaggleStorageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    internal const string SectionName = "KaggleStorage";

    /// <summary>The environment variable consulted when the configuration names no root.</summary>
    internal const string RootEnvironmentVariable = "KAGGLE_DATA_ROOT";

    /// <summary>The root used when neither configuration nor environment names one.</summary>
    internal const string DefaultRoot = "/data/kaggle";

    /// <summary>The dataset this store holds.</summary>
    public const string DefaultDatasetId = "erlichsefi/israeli-supermarkets-2024";

    /// <summary>
    /// The store root, an absolute path. Resolved in this order: configuration key <c>KaggleStorage:Root</c>,
    /// environment variable <c>KAGGLE_DATA_ROOT</c>, then <c>/data/kaggle</c>.
    /// </summary>
    public string Root { get; set; } = string.Empty;

    /// <summary>The Kaggle dataset, <c>owner/slug</c>.</summary>
    public string DatasetId { get; set; } = DefaultDatasetId;

    /// <summary>How long a mutating operation waits for the store lock before failing; zero fails at once.</summary>
    public TimeSpan LockWaitTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>
    /// How long a lock may go without its holder refreshing it before it is presumed abandoned and taken over (with
    /// a warning). A lock of this host whose process is gone is taken over at once. Default 30 minutes.
    /// </summary>
    public TimeSpan LockStaleAfter { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How often the holder of the lock refreshes it (its heartbeat). Default 5 minutes.</summary>
    public TimeSpan LockRefreshInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long an empty or unreadable lock file (a crash or a full disk between create and write) is presumed to be
    /// still being written; past it, the lock is stale. Default 1 minute.
    /// </summary>
    public TimeSpan LockUnreadableGrace { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The most a restore of an archive without an index may write (an index says exactly how much). Default
    /// 64 GiB, ten times a real day; a larger expansion is refused as a likely tar bomb.
    /// </summary>
    public long MaxRestoreBytes { get; set; } = 64L << 30;

    /// <summary>
    /// The time zone whose calendar decides "today" (the default download date and the age of partitions):
    /// an IANA id such as <c>Asia/Jerusalem</c> (Windows ids are refused, in the library as in the tool). Default
    /// <c>UTC</c>.
    /// </summary>
    public string TimeZone { get; set; } = "UTC";
}
