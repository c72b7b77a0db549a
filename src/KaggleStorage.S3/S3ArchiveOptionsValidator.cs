using Microsoft.Extensions.Options;

namespace KaggleStorage.Archival;

/// <summary>
/// Checks <see cref="S3ArchiveOptions"/> when the host starts, only when <c>KaggleStorage:Archive:Store</c> is
/// <c>s3</c>: a host that registers the package but keeps its archives in the folder needs no bucket.
/// </summary>
internal sealed class S3ArchiveOptionsValidator(IOptions<ArchiveOptions> archive) : IValidateOptions<S3ArchiveOptions>
{
    public ValidateOptionsResult Validate(string? name, S3ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (archive.Value.Store != ArchiveStoreKind.S3)
        {
            return ValidateOptionsResult.Skip;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Bucket))
        {
            failures.Add("KaggleStorage:Archive:S3:Bucket is required when KaggleStorage:Archive:Store is s3.");
        }

        if (options.Prefix.StartsWith('/') || (options.Prefix.Length > 0 && !options.Prefix.EndsWith('/')))
        {
            failures.Add($"KaggleStorage:Archive:S3:Prefix '{options.Prefix}' must be empty or end in '/', and not start with '/'.");
        }

        if (options.ServiceUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
        {
            failures.Add($"KaggleStorage:Archive:S3:ServiceUrl '{url}' must be an absolute http(s) URL.");
        }

        if (options.PartSizeMiB is < 5 or > 512)
        {
            failures.Add($"KaggleStorage:Archive:S3:PartSizeMiB {options.PartSizeMiB} must be between 5 and 512 (S3's smallest part is 5 MiB).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
