using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

/// <summary>What a download is doing when it reports progress.</summary>
public enum DownloadStage
{
    /// <summary>Receiving the zip from Kaggle's storage.</summary>
    [JsonStringEnumMemberName("receiving")]
    Receiving,

    /// <summary>Extracting the received zip into the staged day (the dataset's CSVs are about six times the zip).</summary>
    [JsonStringEnumMemberName("extracting")]
    Extracting,
}
