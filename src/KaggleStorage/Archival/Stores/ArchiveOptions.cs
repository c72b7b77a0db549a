using Microsoft.Extensions.Options;

namespace KaggleStorage.Archival;

/// <summary>Where archives are kept (section <c>KaggleStorage:Archive</c>).</summary>
public sealed class ArchiveOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KaggleStorage:Archive";

    /// <summary>
    /// <c>filesystem</c> (default): the store's <c>archive/</c> folder; <c>s3</c>: a bucket of an S3-compatible
    /// object store, configured in <see cref="S3"/>.
    /// </summary>
    public ArchiveStoreKind Store { get; set; } = ArchiveStoreKind.FileSystem;

    /// <summary>The bucket, when <see cref="Store"/> is <see cref="ArchiveStoreKind.S3"/>.</summary>
    public S3ArchiveOptions S3 { get; set; } = new();
}

/// <summary>Checks <see cref="ArchiveOptions"/> when the host starts.</summary>
internal sealed class ArchiveOptionsValidator : IValidateOptions<ArchiveOptions>
{
    public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Store))
        {
            failures.Add($"KaggleStorage:Archive:Store '{options.Store}' must be filesystem or s3.");
        }

        if (options.Store == ArchiveStoreKind.S3)
        {
            var s3 = options.S3;
            if (string.IsNullOrWhiteSpace(s3.Bucket))
            {
                failures.Add("KaggleStorage:Archive:S3:Bucket is required when KaggleStorage:Archive:Store is s3.");
            }

            if (s3.Prefix.StartsWith('/') || (s3.Prefix.Length > 0 && !s3.Prefix.EndsWith('/')))
            {
                failures.Add($"KaggleStorage:Archive:S3:Prefix '{s3.Prefix}' must be empty or end in '/', and not start with '/'.");
            }

            if (s3.ServiceUrl is { } url && (!url.IsAbsoluteUri || url.Scheme is not ("http" or "https")))
            {
                failures.Add($"KaggleStorage:Archive:S3:ServiceUrl '{url}' must be an absolute http(s) URL.");
            }

            if (s3.PartSizeMiB is < 5 or > 512)
            {
                failures.Add($"KaggleStorage:Archive:S3:PartSizeMiB {s3.PartSizeMiB} must be between 5 and 512 (S3's smallest part is 5 MiB).");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
