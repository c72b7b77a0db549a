namespace KaggleStorage.Retention;

/// <summary>Progress of a prune: how many planned removals are done.</summary>
/// <param name="Done">Removals handled (deleted or failed).</param>
/// <param name="Total">Removals planned.</param>
/// <param name="Current">The entry being handled.</param>
public sealed record PruneProgress(int Done, int Total, string Current);
