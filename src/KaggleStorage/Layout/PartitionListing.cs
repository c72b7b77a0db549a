namespace KaggleStorage.Layout;

/// <summary>The days found in one area and the entries that do not belong to the layout.</summary>
/// <param name="Area">The area listed.</param>
/// <param name="Dates">The days present, oldest first.</param>
/// <param name="UnknownEntries">Full paths of entries that are not a day of this area, ordinal order.</param>
internal sealed record PartitionListing(StorageArea Area, IReadOnlyList<PartitionDate> Dates, IReadOnlyList<string> UnknownEntries);
