using KaggleStorage.Layout;

namespace KaggleStorage.Retention;

/// <summary>What prune would do now; a value to print (<c>--dry-run</c>), test, and then carry out.</summary>
public sealed record PrunePlan
{
    internal PrunePlan(PartitionDate Today, IReadOnlyList<PruneItem> Items, IReadOnlyList<string> UnknownEntries, IReadOnlyList<string> Warnings)
    {
        this.Today = Today;
        this.Items = Items;
        this.UnknownEntries = UnknownEntries;
        this.Warnings = Warnings;
    }

    /// <summary>The day ages are counted from, in the configured time zone.</summary>
    public PartitionDate Today { get; internal init; }

    /// <summary>Every dated entry of every area with its decision, by area then date.</summary>
    public IReadOnlyList<PruneItem> Items { get; internal init; }

    /// <summary>Entries outside the layout: reported, never deleted.</summary>
    public IReadOnlyList<string> UnknownEntries { get; internal init; }

    /// <summary>Policy settings that are probably a mistake.</summary>
    public IReadOnlyList<string> Warnings { get; internal init; }

    /// <summary>The entries that prune removes.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IEnumerable<PruneItem> Removals => Items.Where(item => item.Decision != PruneDecision.Keep);
}
