namespace KaggleStorage.Retention;

/// <summary>An entry prune meant to remove but kept, and why.</summary>
/// <param name="Item">The entry, as planned.</param>
/// <param name="Error">What went wrong; the entry is untouched.</param>
public sealed record PruneFailure(PruneItem Item, string Error);
