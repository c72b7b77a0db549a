namespace KaggleStorage.Layout;

/// <summary>What <see cref="StorageLayout.InitializeAsync"/> did.</summary>
/// <param name="Root">The store root.</param>
/// <param name="CreatedAreas">Areas that did not exist before; empty when the store was already initialized.</param>
public sealed record StoreInitialization(string Root, IReadOnlyList<StorageArea> CreatedAreas);
