using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>What prune would do now; a value to print (<c>--dry-run</c>), test, and then carry out.</summary>
/// <param name="Today">The day ages are counted from, in the configured time zone.</param>
/// <param name="Items">Every dated entry of every area with its decision, by area then date.</param>
/// <param name="UnknownEntries">Entries outside the layout: reported, never deleted.</param>
/// <param name="Warnings">Policy settings that are probably a mistake.</param>
public sealed record PrunePlan(
    PartitionDate Today,
    IReadOnlyList<PruneItem> Items,
    IReadOnlyList<string> UnknownEntries,
    IReadOnlyList<string> Warnings)
{
    /// <summary>The entries that prune removes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<PruneItem> Removals => Items.Where(item => item.Decision != PruneDecision.Keep);
}
