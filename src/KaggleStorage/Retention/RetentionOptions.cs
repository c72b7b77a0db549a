using KaggleStorage.IO;

namespace KaggleStorage.Retention;

/// <summary>
/// How many days each area keeps its data (section <c>KaggleStorage:Retention</c>). A partition is kept while its
/// age (today − its day) is at most the area's days, and pruned from the next day on.
/// </summary>
public sealed class RetentionOptions
{
    /// <summary>The configuration section.</summary>
    internal const string SectionName = "KaggleStorage:Retention";

    /// <summary>Days a <c>raw/YYYYMMDD</c> partition is kept. Default 90.</summary>
    public int RawDays { get; set; } = 90;

    /// <summary>Days a <c>processed/YYYYMMDD</c> partition is kept. Default 90.</summary>
    public int ProcessedDays { get; set; } = 90;

    /// <summary>Days a file in <c>reports/</c> is kept. Default 365.</summary>
    public int ReportsDays { get; set; } = 365;

    /// <summary>Days a file in <c>metadata/</c> is kept. Default 365.</summary>
    public int MetadataDays { get; set; } = 365;

    /// <summary>Days an <c>archive/YYYYMMDD.tar.gz</c> is kept. Default 365.</summary>
    public int ArchiveDays { get; set; } = 365;

    /// <summary>
    /// The newest raw and processed partitions that are never pruned whatever their age, so a fetch job that
    /// stalled for months does not wake up to an empty store. Default 7.
    /// </summary>
    public int KeepLast { get; set; } = 7;

    /// <summary>The days an area keeps.</summary>
    internal int GetDays(Layout.StorageArea area) => area switch
    {
        Layout.StorageArea.Raw => RawDays,
        Layout.StorageArea.Processed => ProcessedDays,
        Layout.StorageArea.Reports => ReportsDays,
        Layout.StorageArea.Metadata => MetadataDays,
        Layout.StorageArea.Archive => ArchiveDays,
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "Unknown storage area."),
    };

    /// <summary>
    /// Settings that are allowed but probably a mistake: an archive kept for less time than raw data means a
    /// pruned day has no backup left.
    /// </summary>
    internal IReadOnlyList<string> GetWarnings()
    {
        var warnings = new List<string>();
        if (ArchiveDays < RawDays || ArchiveDays < ProcessedDays)
        {
            warnings.Add(
                $"Retention: archives are kept {Quantity.Of(ArchiveDays, "day")}, less than raw ({RawDays}) or processed ({ProcessedDays}); days older than {ArchiveDays} are deleted without a backup.");
        }

        return warnings;
    }

    internal IEnumerable<string> Validate()
    {
        foreach (var (name, value) in new[]
        {
            (nameof(RawDays), RawDays), (nameof(ProcessedDays), ProcessedDays), (nameof(ReportsDays), ReportsDays),
            (nameof(MetadataDays), MetadataDays), (nameof(ArchiveDays), ArchiveDays), (nameof(KeepLast), KeepLast),
        })
        {
            if (value < 0)
            {
                yield return $"KaggleStorage:Retention:{name} must not be negative (is {value}).";
            }
        }
    }
}
