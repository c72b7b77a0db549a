using System.Text.Json.Serialization;

namespace KaggleStorage.Kaggle;

/// <summary>Which of Kaggle's APIs the client asks (<c>KaggleStorage:Kaggle:Protocol</c>).</summary>
public enum KaggleProtocol
{
    /// <summary>
    /// The RPC API first (what Kaggle's current clients use); when it cannot be reached or answers as if it did not
    /// exist (404, 405 or 501 without a Kaggle error body), the REST v1 API for the rest of the run.
    /// </summary>
    [JsonStringEnumMemberName("auto")]
    Auto,

    /// <summary>Only the RPC API at <see cref="KaggleClientOptions.RpcBaseAddress"/>.</summary>
    [JsonStringEnumMemberName("rpc")]
    Rpc,

    /// <summary>Only the REST v1 API at <see cref="KaggleClientOptions.ApiBaseAddress"/>.</summary>
    [JsonStringEnumMemberName("rest")]
    Rest,
}
