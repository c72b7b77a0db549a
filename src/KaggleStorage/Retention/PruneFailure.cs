namespace KaggleStorage.Retention;

/// <summary>An entry prune meant to remove but kept, and why.</summary>
public sealed record PruneFailure
{
    internal PruneFailure(PruneItem Item, string Error)
    {
        this.Item = Item;
        this.Error = Error;
    }

    /// <summary>The entry, as planned.</summary>
    public PruneItem Item { get; internal init; }

    /// <summary>What went wrong; the entry is untouched.</summary>
    public string Error { get; internal init; }
}
