using KaggleStorage.Layout;
namespace KaggleStorage.Status;

/// <summary>How big the store's volume is, how fast the store grows, and where retention makes it settle.</summary>
public sealed record CapacityForecast
{
    internal CapacityForecast(long? TotalBytes, long? FreeBytes, long UsedBytes, long DailyGrowthBytes, IReadOnlyDictionary<string, long> DailyGrowthByArea, long SteadyStateBytes, int? DaysUntilFull, string? Warning)
    {
        this.TotalBytes = TotalBytes;
        this.FreeBytes = FreeBytes;
        this.UsedBytes = UsedBytes;
        this.DailyGrowthBytes = DailyGrowthBytes;
        this.DailyGrowthByArea = DailyGrowthByArea;
        this.SteadyStateBytes = SteadyStateBytes;
        this.DaysUntilFull = DaysUntilFull;
        this.Warning = Warning;
    }

    /// <summary>Size of the volume holding the root; null when it cannot be read.</summary>
    public long? TotalBytes { get; internal init; }

    /// <summary>Bytes available on it; null when it cannot be read.</summary>
    public long? FreeBytes { get; internal init; }

    /// <summary>What the store holds now.</summary>
    public long UsedBytes { get; internal init; }

    /// <summary>Average bytes a day adds, over the recent days of each area.</summary>
    public long DailyGrowthBytes { get; internal init; }

    /// <summary>The same per area (<c>raw</c>, <c>processed</c>, <c>archive</c>, <c>reports</c>, <c>metadata</c>).</summary>
    public IReadOnlyDictionary<string, long> DailyGrowthByArea { get; internal init; }

    /// <summary>What the store settles at under the retention policy at this rate.</summary>
    public long SteadyStateBytes { get; internal init; }

    /// <summary>In how many days the volume fills at this rate; null when it never does.</summary>
    public int? DaysUntilFull { get; internal init; }

    /// <summary>Plain words when the steady state does not fit the volume; null when it does.</summary>
    public string? Warning { get; internal init; }
}
