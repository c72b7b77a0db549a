using KaggleStorage.IO;

namespace KaggleStorage.Archival;

/// <summary>The words a person reads about one archived day, as soon as it is done.</summary>
internal static class ArchiveWording
{
    public static string Outcome(ArchiveOutcome o) => o.Kind switch
    {
        ArchiveStatus.Identical => $"{o.Date}: archive already up to date ({o.ArchiveLocation})",
        ArchiveStatus.Skipped => $"{o.Date}: skipped, {o.Error}",
        ArchiveStatus.Failed => $"{o.Date}: {o.Error ?? "failed"}",
        _ => $"{o.Date}: {o.Status} {o.ArchiveLocation} — {Quantity.Of(o.Files, "file")}, {ByteCount.Format(o.SourceBytes)} → {ByteCount.Format(o.ArchiveBytes)}"
            + (o.CarriedOver > 0 ? $"; {Quantity.Of(o.CarriedOver, "file")} no longer live carried over from the previous archive" : string.Empty),
    };
}
