using System.IO.Abstractions;
using KaggleStorage.Errors;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Layout;

/// <summary>
/// Where everything lives under the store root: areas, date directories, archives, and the hidden
/// <c>.staging</c> and <c>.locks</c> folders that make writes atomic and operations exclusive.
/// </summary>
public sealed class StorageLayout
{
    /// <summary>Suffix of a day's archive in <c>archive/</c>.</summary>
    public const string ArchiveExtension = ".tar.gz";

    private readonly IFileSystem _fileSystem;

    /// <summary>Creates the layout over the configured root.</summary>
    public StorageLayout(IOptions<KaggleStorageOptions> options, IFileSystem fileSystem)
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
    public string StagingDirectory => _fileSystem.Path.Combine(Root, ".staging");

    /// <summary>
    /// Where the download records the days it found the dataset unchanged (<c>metadata/downloads/YYYYMMDD.json</c>),
    /// which count as covered rather than missing.
    /// </summary>
    public string DownloadChecksDirectory => _fileSystem.Path.Combine(GetAreaPath(StorageArea.Metadata), "downloads");

    /// <summary>The days the download found the dataset unchanged, oldest first.</summary>
    public IReadOnlyList<PartitionDate> ListDownloadChecks() =>
        _fileSystem.Directory.Exists(DownloadChecksDirectory)
            ? _fileSystem.Directory.EnumerateFiles(DownloadChecksDirectory, "*.json")
                .Select(path => PartitionDate.TryParseName(_fileSystem.Path.GetFileName(path), ".json", out var date) ? date : (PartitionDate?)null)
                .OfType<PartitionDate>()
                .Order()
                .ToList()
            : [];

    /// <summary>Where lock files of mutating operations live.</summary>
    public string LocksDirectory => _fileSystem.Path.Combine(Root, ".locks");

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
                $"The {area.GetFolderName()} area has no date directories; only raw and processed do (a day of the archive area is a file: see GetArchivePath).",
                nameof(area));
        }

        return _fileSystem.Path.Combine(GetAreaPath(area), date.ToString());
    }

    /// <summary>The archive of one day, <c>&lt;root&gt;/archive/YYYYMMDD.tar.gz</c>.</summary>
    public string GetArchivePath(PartitionDate date) =>
        _fileSystem.Path.Combine(GetAreaPath(StorageArea.Archive), date + ArchiveExtension);

    /// <summary>The day an archive file name such as <c>20241026.tar.gz</c> belongs to.</summary>
    public static bool TryParseArchiveFileName(string fileName, out PartitionDate date)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        return PartitionDate.TryParseName(fileName, ArchiveExtension, out date);
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
    public Task<StoreInitialization> InitializeAsync(CancellationToken cancellationToken = default)
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

        return Task.FromResult(new StoreInitialization(Root, created));
    }

    /// <summary>
    /// The days present in an area, oldest first. For raw and processed these are <c>YYYYMMDD</c> folders; for
    /// the archive area <c>YYYYMMDD.tar.gz</c> files. Anything else is listed as unknown rather than failing.
    /// Hidden entries (names starting with a dot) are working files of the store and are not listed.
    /// </summary>
    public PartitionListing ListPartitions(StorageArea area)
    {
        if (area is not (StorageArea.Raw or StorageArea.Processed or StorageArea.Archive))
        {
            throw new ArgumentException(
                $"The {area.GetFolderName()} area has no partitions; only raw, processed and archive do.", nameof(area));
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

            var isDirectory = entry is IDirectoryInfo;
            if (area == StorageArea.Archive)
            {
                if (!isDirectory && TryParseArchiveFileName(name, out var archived))
                {
                    dates.Add(archived);
                }
                else if (isDirectory || !IsArchiveCompanion(name))
                {
                    unknown.Add(entry.FullName);
                }
            }
            else if (isDirectory && PartitionDate.TryParse(name, out var date))
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

    /// <summary>Files that live next to an archive, such as its index <c>YYYYMMDD.tar.gz.index.json</c>.</summary>
    private static bool IsArchiveCompanion(string name)
    {
        return PartitionDate.TryParseLeading(name, out _, out var rest) && rest.StartsWith(ArchiveExtension + ".", StringComparison.Ordinal);
    }
}
