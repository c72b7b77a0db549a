using KaggleStorage.Layout;

namespace KaggleStorage.Migration;

/// <summary>A file of the legacy <c>reports/</c> or <c>metadata/</c> folder and where it goes.</summary>
/// <param name="Area">Reports or metadata.</param>
/// <param name="Source">The legacy file.</param>
/// <param name="Destination">Its path in the shared store.</param>
/// <param name="File">Name, size and action.</param>
internal sealed record PlannedAreaFile(StorageArea Area, string Source, string Destination, PlannedFile File);
