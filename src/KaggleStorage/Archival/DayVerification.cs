using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>What verification found for one day.</summary>
/// <param name="Date">The day.</param>
/// <param name="Manifest">The raw day against its download manifest, when the day has raw data.</param>
/// <param name="Archive">The archive against its index and the live files, when the day has anything of an archive.</param>
public sealed record DayVerification(PartitionDate Date, ManifestCheck? Manifest, ArchiveVerification? Archive)
{
    /// <summary>
    /// Day folders of this day that a stopped replace set aside, one line each naming where; they are missing from
    /// their place until the next locked command puts them back.
    /// </summary>
    public IReadOnlyList<string> SetAside { get; init; } = [];

    /// <summary>
    /// What the day's processed folder holds that a day may not (a link, fifo, socket, device, a name that is not
    /// UTF-8, a folder that cannot be read), when the day has no archive that would report it.
    /// </summary>
    public IReadOnlyList<string> FolderProblems { get; init; } = [];

    /// <summary>Every problem of the day, one line each.</summary>
    public IEnumerable<string> Problems =>
        SetAside
            .Concat(FolderProblems)
            .Concat(Manifest?.Health == ManifestHealth.Missing ? [DownloadManifest.FileName + " is missing"] : Manifest?.Problems ?? [])
            .Concat(Archive?.Problems ?? []);

    /// <summary>Whether nothing is wrong with the day.</summary>
    public bool IsValid => !Problems.Any();
}
