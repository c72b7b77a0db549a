using System.IO.Abstractions;
using KaggleStorage.Errors;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Layout;

/// <summary>
/// Where everything lives under the store root: areas, date directories, and the hidden <c>.staging</c> and
/// <c>.locks</c> folders that make writes atomic and operations exclusive. What an archive is called and which
/// archives exist is the archive store's to answer (Archival), wherever it keeps them.
/// </summary>
public sealed class StorageLayout
{
    private readonly IFileSystem _fileSystem;

    /// <summary>Creates the layout over the configured root.</summary>
    internal StorageLayout(IOptions<KaggleStorageOptions> options, IFileSystem fileSystem)
    {
        ArgumentNullException.ThrowIfNull(options);
        _fileSystem = fileSystem ?? throw new ArgumentNullException(nameof(fileSystem));
        Root = _fileSystem.Path.TrimEndingDirectorySeparator(options.Value.Root);
        if (Root.Length == 0)
        {
            // Trimming "/" itself yields "/"; only an unset root gets here.
            throw new ArgumentException("The store root is empty.", nameof(options));
        }
    }

    /// <summary>The store root, absolute, without a trailing separator.</summary>
    public string Root { get; }

    /// <summary>Where operations stage their output before renaming it into place (same volume as the store).</summary>
    internal string StagingDirectory => _fileSystem.Path.Combine(Root, ".staging");

    /// <summary>Where lock files of mutating operations live.</summary>
    internal string LocksDirectory => _fileSystem.Path.Combine(Root, ".locks");

    /// <summary>The folder of an area, e.g. <c>&lt;root&gt;/raw</c>.</summary>
    public string GetAreaPath(StorageArea area) => _fileSystem.Path.Combine(Root, area.GetFolderName());

    /// <summary>
    /// The folder of one day in a partitioned area, e.g. <c>&lt;root&gt;/raw/20241026</c>.
    /// </summary>
    /// <exception cref="ArgumentException">The area has no date folders (only raw and processed do).</exception>
    public string GetDateDirectory(StorageArea area, PartitionDate date)
    {
        if (!area.IsPartitioned())
        {
            throw new ArgumentException(
                $"The {area.GetFolderName()} area has no date directories; only raw and processed do (a day of the archive area is an object of the archive store).",
                nameof(area));
        }

        return _fileSystem.Path.Combine(GetAreaPath(area), date.ToString());
    }

    /// <summary>
    /// Refuses a root that does not exist. Only <see cref="InitializeAsync"/> makes a store; every other operation
    /// would otherwise report an empty store as fine, or create <c>.locks/</c> and areas at a mistyped path. A root
    /// that exists but lacks some areas is a store: operations create the areas they write as they need them.
    /// </summary>
    /// <exception cref="StorageInputException">The root folder does not exist.</exception>
    internal void EnsureExists()
    {
        if (!_fileSystem.Directory.Exists(Root))
        {
            throw new StorageInputException($"No store at {Root}: the folder does not exist; run 'kaggle-storage init' to create it (or fix the root).");
        }
    }

    /// <summary>Creates the root and the five areas where missing. Safe to run any number of times.</summary>
    /// <returns>The areas it created, in layout order; empty when the store was already whole.</returns>
    public Task<IReadOnlyList<StorageArea>> InitializeAsync(CancellationToken cancellationToken = default)
    {
        var created = new List<StorageArea>();
        _fileSystem.Directory.CreateDirectory(Root);
        foreach (var area in StorageAreas.All)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var path = GetAreaPath(area);
            if (!_fileSystem.Directory.Exists(path))
            {
                _fileSystem.Directory.CreateDirectory(path);
                created.Add(area);
            }
        }

        return Task.FromResult<IReadOnlyList<StorageArea>>(created);
    }

    /// <summary>
    /// The days present in raw or processed, oldest first: its <c>YYYYMMDD</c> folders. Hidden entries and entries
    /// that are not a day are left out (status lists those). The archive area's days are listed by the archive
    /// store, which may keep them in a bucket.
    /// </summary>
    /// <exception cref="ArgumentException">The area has no date folders (only raw and processed do).</exception>
    public IReadOnlyList<PartitionDate> ListDays(StorageArea area) => ListPartitions(area).Dates;

    /// <summary>
    /// The days present in raw or processed, oldest first: its <c>YYYYMMDD</c> folders. Anything else is listed as
    /// unknown rather than failing. Hidden entries (names starting with a dot) are working files of the store and are
    /// not listed. The archive area's days are listed by the archive store, which may keep them in a bucket.
    /// </summary>
    /// <exception cref="ArgumentException">The area has no date folders (only raw and processed do).</exception>
    internal PartitionListing ListPartitions(StorageArea area)
    {
        if (!area.IsPartitioned())
        {
            throw new ArgumentException(
                $"The {area.GetFolderName()} area has no date folders; only raw and processed do (archived days are listed by the archive store).", nameof(area));
        }

        var areaPath = GetAreaPath(area);
        if (!_fileSystem.Directory.Exists(areaPath))
        {
            return new PartitionListing(area, [], []);
        }

        var dates = new List<PartitionDate>();
        var unknown = new List<string>();
        foreach (var entry in _fileSystem.DirectoryInfo.New(areaPath).EnumerateFileSystemInfos())
        {
            var name = entry.Name;
            if (name.StartsWith('.'))
            {
                continue;
            }

            if (entry is IDirectoryInfo && PartitionDate.TryParse(name, out var date))
            {
                dates.Add(date);
            }
            else
            {
                unknown.Add(entry.FullName);
            }
        }

        dates.Sort();
        unknown.Sort(StringComparer.Ordinal);
        return new PartitionListing(area, dates, unknown);
    }
}
