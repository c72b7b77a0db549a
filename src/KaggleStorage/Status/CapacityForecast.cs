using KaggleStorage.Layout;
namespace KaggleStorage.Status;

/// <summary>How big the store's volume is, how fast the store grows, and where retention makes it settle.</summary>
/// <param name="TotalBytes">Size of the volume holding the root; null when it cannot be read.</param>
/// <param name="FreeBytes">Bytes available on it; null when it cannot be read.</param>
/// <param name="UsedBytes">What the store holds now.</param>
/// <param name="DailyGrowthBytes">Average bytes a day adds, over the recent days of each area.</param>
/// <param name="DailyGrowthByArea">The same per area (<c>raw</c>, <c>processed</c>, <c>archive</c>, <c>reports</c>, <c>metadata</c>).</param>
/// <param name="SteadyStateBytes">What the store settles at under the retention policy at this rate.</param>
/// <param name="DaysUntilFull">In how many days the volume fills at this rate; null when it never does.</param>
/// <param name="Warning">Plain words when the steady state does not fit the volume; null when it does.</param>
public sealed record CapacityForecast(
    long? TotalBytes,
    long? FreeBytes,
    long UsedBytes,
    long DailyGrowthBytes,
    IReadOnlyDictionary<string, long> DailyGrowthByArea,
    long SteadyStateBytes,
    int? DaysUntilFull,
    string? Warning);
