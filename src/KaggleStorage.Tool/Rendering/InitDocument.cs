using KaggleStorage.Layout;

namespace KaggleStorage.Tool.Rendering;

/// <summary>What <c>init --json</c> prints: the root, and the areas this run created.</summary>
internal sealed record InitDocument(string Root, IReadOnlyList<StorageArea> CreatedAreas);
