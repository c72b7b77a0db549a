using Microsoft.Extensions.Options;

namespace KaggleStorage.Kaggle;

/// <summary>Checks <see cref="KaggleClientOptions"/> when the host starts.</summary>
internal sealed class KaggleClientOptionsValidator : IValidateOptions<KaggleClientOptions>
{
    public ValidateOptionsResult Validate(string? name, KaggleClientOptions options)
    {
        var failures = new List<string>();
        foreach (var (key, address) in new[] { ("ApiBaseAddress", options.ApiBaseAddress), ("RpcBaseAddress", options.RpcBaseAddress) })
        {
            if (!address.IsAbsoluteUri || !address.AbsolutePath.EndsWith('/') || address.Scheme is not ("http" or "https"))
            {
                failures.Add($"KaggleStorage:Kaggle:{key} '{address}' must be an absolute http(s) URL ending in '/'.");
            }
        }

        if (!Enum.IsDefined(options.Protocol))
        {
            failures.Add($"KaggleStorage:Kaggle:Protocol '{options.Protocol}' must be Auto, Rpc or Rest.");
        }

        if (options.MaxRetryAfter < TimeSpan.Zero)
        {
            failures.Add("KaggleStorage:Kaggle:MaxRetryAfter must not be negative.");
        }

        if (options.StallTimeout <= TimeSpan.Zero)
        {
            failures.Add("KaggleStorage:Kaggle:StallTimeout must be positive.");
        }

        if (options.Timeout <= TimeSpan.Zero || options.MaxRetries is < 0 or > 20 || options.RetryBaseDelay < TimeSpan.Zero)
        {
            failures.Add("KaggleStorage:Kaggle: Timeout must be positive, MaxRetries between 0 and 20, RetryBaseDelay not negative.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
