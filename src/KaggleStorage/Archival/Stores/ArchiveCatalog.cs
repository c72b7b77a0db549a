namespace KaggleStorage.Archival;

/// <summary>
/// One listing of an archive store, read once and grouped by day: which days have an archive, which have anything
/// of one (an archive, its index, a folder under its name), the bytes each day's objects take, and what does not
/// belong. Asking the store once per day would list a year of archives 365 times.
/// </summary>
internal sealed class ArchiveCatalog
{
    private readonly Dictionary<Layout.PartitionDate, List<ArchiveObjectInfo>> _byDay;

    private ArchiveCatalog(IArchiveStore store, IReadOnlyList<ArchiveObjectInfo> objects)
    {
        _byDay = [];
        var unknown = new List<string>();
        var archived = new SortedSet<Layout.PartitionDate>();
        foreach (var item in objects)
        {
            if (ArchiveNames.TryParse(item.Name, out var day, out var isArchive))
            {
                (_byDay.TryGetValue(day, out var list) ? list : _byDay[day] = []).Add(item);
                if (item.IsFolder)
                {
                    unknown.Add(store.Describe(item.Name));
                }
                else if (isArchive)
                {
                    archived.Add(day);
                }
            }
            else
            {
                unknown.Add(store.Describe(item.Name));
            }
        }

        ArchivedDays = archived.ToList();
        ObjectCount = objects.Count(item => !item.IsFolder);
        TotalBytes = objects.Sum(item => item.SizeBytes);
        DaysWithAnything = _byDay.Keys.Order().ToList();
        UnknownEntries = unknown.Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>Days whose archive object exists, oldest first.</summary>
    public IReadOnlyList<Layout.PartitionDate> ArchivedDays { get; }

    /// <summary>Days with an archive, an index, or anything else under an archive's name, oldest first.</summary>
    public IReadOnlyList<Layout.PartitionDate> DaysWithAnything { get; }

    /// <summary>Every object of the store, strays included (folders are not objects).</summary>
    public int ObjectCount { get; }

    /// <summary>The bytes of every object of the store, strays included.</summary>
    public long TotalBytes { get; }

    /// <summary>Objects that are not a day's archive or one of its files, as locations.</summary>
    public IReadOnlyList<string> UnknownEntries { get; }

    public static async Task<ArchiveCatalog> ReadAsync(IArchiveStore store, CancellationToken cancellationToken) =>
        new(store, await store.ListAsync(cancellationToken));

    /// <summary>The day's objects: its archive and the files that belong to it.</summary>
    public IReadOnlyList<ArchiveObjectInfo> ObjectsOf(Layout.PartitionDate day) => _byDay.TryGetValue(day, out var list) ? list : [];

    public long BytesOf(Layout.PartitionDate day) => ObjectsOf(day).Sum(item => item.SizeBytes);
}
