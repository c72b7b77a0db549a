namespace KaggleStorage.Manifests;

/// <summary>Finds null list entries, which JSON nullable annotations do not refuse.</summary>
internal static class ManifestNulls
{
    public static string? FirstNull<TItem>(IReadOnlyList<TItem> items, string path)
        where TItem : class
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                return $"{path}[{i}]";
            }
        }

        return null;
    }
}
