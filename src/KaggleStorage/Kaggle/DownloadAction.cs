using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

/// <summary>What a <see cref="DownloadPlan"/> will do.</summary>
public enum DownloadAction
{
    /// <summary>Fetch the dataset into a day that does not exist yet.</summary>
    [JsonStringEnumMemberName("download")]
    Download,

    /// <summary>Fetch the dataset and replace the existing day atomically (with force).</summary>
    [JsonStringEnumMemberName("replace")]
    Replace,

    /// <summary>The day exists with a valid manifest; fetch nothing.</summary>
    [JsonStringEnumMemberName("skip")]
    Skip,

    /// <summary>Kaggle's current version is the newest raw day's: fetch nothing, record the check.</summary>
    [JsonStringEnumMemberName("unchanged")]
    Unchanged,
}
