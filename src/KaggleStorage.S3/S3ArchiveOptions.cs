namespace KaggleStorage.Archival;

/// <summary>
/// An S3-compatible bucket for archives (section <c>KaggleStorage:Archive:S3</c>). Credentials come from the AWS
/// SDK's default chain (environment, shared profile, web identity in Kubernetes, instance role), never from here.
/// </summary>
public sealed class S3ArchiveOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "KaggleStorage:Archive:S3";

    /// <summary>The bucket. Required for the S3 store.</summary>
    public string? Bucket { get; set; }

    /// <summary>The key prefix of the archives, ending in <c>/</c> (or empty). Default <c>archive/</c>.</summary>
    public string Prefix { get; set; } = "archive/";

    /// <summary>The endpoint of an S3-compatible server (MinIO, Ceph, GCS); unset for AWS.</summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>The region, e.g. <c>eu-central-1</c>; unset takes the SDK's default (or <c>us-east-1</c> with a service URL).</summary>
    public string? Region { get; set; }

    /// <summary>Address buckets by path (<c>host/bucket/key</c>), as most S3-compatible servers need. Default false.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>The part size of multipart uploads, in MiB (5 to 512). Memory holds two parts. Default 16.</summary>
    public int PartSizeMiB { get; set; } = 16;
}
