using Microsoft.Extensions.Options;

namespace KaggleStorage.Archival;

/// <summary>Where archives are kept (section <c>KaggleStorage:Archive</c>).</summary>
public sealed class ArchiveOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KaggleStorage:Archive";

    /// <summary>
    /// <c>filesystem</c> (default): the store's <c>archive/</c> folder; <c>s3</c>: a bucket of an S3-compatible
    /// object store, which needs the <c>KaggleStorage.S3</c> package (its section is <c>KaggleStorage:Archive:S3</c>).
    /// </summary>
    public ArchiveStoreKind Store { get; set; } = ArchiveStoreKind.FileSystem;
}

/// <summary>Checks <see cref="ArchiveOptions"/> when the host starts.</summary>
internal sealed class ArchiveOptionsValidator(IEnumerable<ArchiveStoreProvider> providers) : IValidateOptions<ArchiveOptions>
{
    private readonly ArchiveStoreProvider[] _providers = [.. providers];

    public ValidateOptionsResult Validate(string? name, ArchiveOptions options)
    {
        var failures = new List<string>();
        if (!Enum.IsDefined(options.Store))
        {
            failures.Add($"KaggleStorage:Archive:Store '{options.Store}' must be filesystem or s3.");
        }
        else if (options.Store != ArchiveStoreKind.FileSystem && !_providers.Any(provider => provider.Kind == options.Store))
        {
            failures.Add(ArchiveStoreFactory.MissingProvider(options.Store));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
