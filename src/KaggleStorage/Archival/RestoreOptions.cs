namespace KaggleStorage.Archival;

/// <summary>How <see cref="ArchiveRestorer.RestoreAsync"/> restores a day.</summary>
public sealed record RestoreOptions
{
    /// <summary>The folder to restore into; null for the store root. Another folder must lie outside the store.</summary>
    public string? Into { get; init; }

    /// <summary>Replace files that exist and differ from the archive; otherwise the restore refuses, unchanged.</summary>
    public bool Force { get; init; }
}
