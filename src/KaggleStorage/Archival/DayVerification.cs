using KaggleStorage.Layout;
using KaggleStorage.Manifests;

namespace KaggleStorage.Archival;

/// <summary>What verification found for one day.</summary>
/// <param name="Date">The day.</param>
/// <param name="Manifest">The raw day against its download manifest, when the day has raw data.</param>
/// <param name="Archive">The archive against its index and the live files, when the day has anything of an archive.</param>
public sealed record DayVerification(PartitionDate Date, ManifestCheck? Manifest, ArchiveVerification? Archive)
{
    /// <summary>Every problem of the day, one line each.</summary>
    public IEnumerable<string> Problems =>
        (Manifest?.Health == ManifestHealth.Missing ? [DownloadManifest.FileName + " is missing"] : Manifest?.Problems ?? [])
            .Concat(Archive?.Problems ?? []);

    /// <summary>Whether nothing is wrong with the day.</summary>
    public bool IsValid => !Problems.Any();
}
