namespace KaggleStorage.Tool.Demo;

/// <summary>What the demo builds.</summary>
/// <param name="Days">Consecutive days ending yesterday.</param>
/// <param name="BytesPerDay">About how much CSV one day holds.</param>
/// <param name="Seed">Seed of the generator; the same seed gives the same files.</param>
/// <param name="SkipPrune">Stop after archiving, so a prune dry run shows what retention would do.</param>
internal sealed record DemoRequest(int Days, long BytesPerDay, int Seed, bool SkipPrune);
