using System.Text.Json.Serialization;

namespace KaggleStorage.Layout;

/// <summary>The five top-level areas of the store.</summary>
public enum StorageArea
{
    /// <summary><c>raw/YYYYMMDD/</c>: Kaggle files as downloaded, with <c>download_manifest.json</c>.</summary>
    [JsonStringEnumMemberName("raw")]
    Raw,

    /// <summary><c>processed/YYYYMMDD/</c>: ETL output (<c>load_summary.json</c>, <c>validation_report.json</c>).</summary>
    [JsonStringEnumMemberName("processed")]
    Processed,

    /// <summary><c>reports/</c>: human-readable reports.</summary>
    [JsonStringEnumMemberName("reports")]
    Reports,

    /// <summary><c>metadata/</c>: journals and migration reports.</summary>
    [JsonStringEnumMemberName("metadata")]
    Metadata,

    /// <summary><c>archive/</c>: each day's archive (raw and processed of the day), when the archive store is this folder.</summary>
    [JsonStringEnumMemberName("archive")]
    Archive,
}
