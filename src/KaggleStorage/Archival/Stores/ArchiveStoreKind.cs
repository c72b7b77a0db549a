using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>The kinds of archive store (<c>KaggleStorage:Archive:Store</c>).</summary>
public enum ArchiveStoreKind
{
    /// <summary>The store's <c>archive/</c> folder on the shared volume.</summary>
    [JsonStringEnumMemberName("fileSystem")]
    FileSystem,

    /// <summary>A bucket of an S3-compatible object store.</summary>
    [JsonStringEnumMemberName("s3")]
    S3,
}
