using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Retention;

namespace KaggleStorage.Status;

/// <summary>A snapshot of the whole store.</summary>
public sealed record StoreStatus
{
    internal StoreStatus(string Root, bool Initialized, IReadOnlyList<AreaStatus> Areas, IReadOnlyList<PartitionStatus> Partitions, IReadOnlyList<PartitionDate> MissingDays, IReadOnlyList<string> UnknownEntries, LockStatus Lock, IReadOnlyList<AreaPrunePreview> PruneNext, IReadOnlyList<LeftoverEntry> Leftovers)
    {
        this.Root = Root;
        this.Initialized = Initialized;
        this.Areas = Areas;
        this.Partitions = Partitions;
        this.MissingDays = MissingDays;
        this.UnknownEntries = UnknownEntries;
        this.Lock = Lock;
        this.PruneNext = PruneNext;
        this.Leftovers = Leftovers;
    }

    /// <summary>The store root.</summary>
    public string Root { get; internal init; }

    /// <summary>Whether all five areas exist.</summary>
    public bool Initialized { get; internal init; }

    /// <summary>Totals per area, in layout order.</summary>
    public IReadOnlyList<AreaStatus> Areas { get; internal init; }

    /// <summary>Every day found in raw, processed or archive, oldest first.</summary>
    public IReadOnlyList<PartitionStatus> Partitions { get; internal init; }

    /// <summary>Days between the first and last partition that the store has nothing of.</summary>
    public IReadOnlyList<PartitionDate> MissingDays { get; internal init; }

    /// <summary>Entries in partitioned areas that are not days of the layout.</summary>
    public IReadOnlyList<string> UnknownEntries { get; internal init; }

    /// <summary>The store lock: free, held (by whom) or stale (and why).</summary>
    public LockStatus Lock { get; internal init; }

    /// <summary>What the next prune would do, per area.</summary>
    public IReadOnlyList<AreaPrunePreview> PruneNext { get; internal init; }

    /// <summary>What killed runs left in <c>.staging/</c> and <c>.trash/</c>, and in an S3 archive store (staged objects, unfinished uploads), until the next mutating command removes it.</summary>
    public IReadOnlyList<LeftoverEntry> Leftovers { get; internal init; }

    /// <summary>Where archives are kept (<c>KaggleStorage:Archive:Store</c>).</summary>
    public KaggleStorage.Archival.ArchiveStoreKind ArchiveStore { get; internal init; }

    /// <summary>The archive store's location: the <c>archive/</c> folder, or <c>s3://bucket/prefix</c>.</summary>
    public string ArchiveLocation { get; internal init; } = string.Empty;

    /// <summary>
    /// Whether the archives take room on the store's volume (the <c>archive/</c> folder) rather than elsewhere (a
    /// bucket): then they count in its capacity. The store kind and location above say the same in the JSON document.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool ArchivesOnStoreVolume { get; internal init; } = true;

    /// <summary>The volume, the growth and the size the store settles at under retention.</summary>
    public CapacityForecast? Capacity { get; internal init; }

    /// <summary>
    /// Why the store is unhealthy, one line each (what <c>status --check</c> exits 1 for): a stale newest raw
    /// day, an invalid manifest, a day folder that cannot be read or holds a link, fifo, socket, device or a name that
    /// is not UTF-8, a day past retention that prune keeps, a day set aside by a stopped replace, a stale lock, a
    /// steady state that does not fit the volume. Empty when healthy.
    /// </summary>
    public IReadOnlyList<string> HealthProblems { get; internal init; } = [];
}
