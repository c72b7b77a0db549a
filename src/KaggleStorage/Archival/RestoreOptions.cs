namespace KaggleStorage.Archival;

/// <summary>How <see cref="ArchiveRestorer.RestoreAsync"/> restores a day.</summary>
public sealed record RestoreOptions
{
    /// <summary>The folder to restore into; null for the store root. Another folder must lie outside the store.</summary>
    public string? Into { get; init; }

    /// <summary>Replace files that exist and differ from the archive; otherwise the restore refuses, unchanged.</summary>
    public bool Force { get; init; }

    /// <summary>
    /// Restore only these files of the day (empty: the whole day). A bare name is a file of the day's raw folder
    /// (<c>price_file_x.csv</c> is <c>raw/YYYYMMDD/price_file_x.csv</c>); a name with a slash is relative to the store
    /// root (<c>processed/YYYYMMDD/load_summary.json</c>). Needs <see cref="Into"/>: a day in the store is whole or absent.
    /// </summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
