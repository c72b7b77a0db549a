namespace KaggleStorage.Kaggle;

/// <summary>How the Kaggle client talks to the API (section <c>KaggleStorage:Kaggle</c>).</summary>
public sealed class KaggleClientOptions
{
    /// <summary>The configuration section.</summary>
    internal const string SectionName = "KaggleStorage:Kaggle";

    /// <summary>Kaggle's REST API v1, which older clients use.</summary>
    internal static readonly Uri DefaultApiBaseAddress = new("https://www.kaggle.com/api/v1/");

    /// <summary>Kaggle's RPC API, which the current official clients use.</summary>
    internal static readonly Uri DefaultRpcBaseAddress = new("https://api.kaggle.com/v1/");

    /// <summary>The REST API root, ending in <c>/</c>. Point it at a mirror or a local fake in tests.</summary>
    public Uri ApiBaseAddress { get; set; } = DefaultApiBaseAddress;

    /// <summary>The RPC API root, ending in <c>/</c>; methods are posted to <c>datasets.DatasetApiService/{Method}</c>.</summary>
    public Uri RpcBaseAddress { get; set; } = DefaultRpcBaseAddress;

    /// <summary>Which API to ask. Default <see cref="KaggleProtocol.Auto"/>: RPC, falling back to REST.</summary>
    public KaggleProtocol Protocol { get; set; } = KaggleProtocol.Auto;

    /// <summary>The whole download, retries included, must finish within this. Default 2 hours.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromHours(2);

    /// <summary>
    /// A transfer that receives no bytes for this long has stalled and fails, instead of hanging until
    /// <see cref="Timeout"/>. Default 1 minute.
    /// </summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Retries of a request that failed transiently (5xx, 429, connection reset). Default 4.</summary>
    public int MaxRetries { get; set; } = 4;

    /// <summary>
    /// The longest <c>Retry-After</c> a rate-limited request waits for; a longer one fails at once with Kaggle's
    /// message. Default 5 minutes.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>First retry delay; later ones grow exponentially, with jitter. Default 2 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);
}
