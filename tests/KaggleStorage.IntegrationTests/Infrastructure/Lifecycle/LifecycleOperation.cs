namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>What one step of a generated night does to the store.</summary>
internal enum LifecycleOperation
{
    /// <summary>The fetch job publishes a new raw day with a correct download manifest.</summary>
    Download,

    /// <summary>A raw day whose manifest does not match its files (a CSV grew after the manifest was written).</summary>
    InvalidDownload,

    /// <summary>The ETL writes or re-writes files of processed/D, also after D was archived or its raw day pruned.</summary>
    EtlWrite,

    /// <summary><c>archive D</c>.</summary>
    Archive,

    /// <summary><c>archive D --force</c>.</summary>
    ArchiveForce,

    /// <summary><c>archive --older-than N</c>.</summary>
    ArchiveOlderThan,

    /// <summary><c>archive --all</c>.</summary>
    ArchiveAll,

    /// <summary><c>prune</c> under the step's retention.</summary>
    Prune,

    /// <summary><c>restore D</c> into the root.</summary>
    Restore,

    /// <summary><c>restore D --force</c> into the root.</summary>
    RestoreForce,

    /// <summary><c>verify</c>.</summary>
    Verify,

    /// <summary><c>status --check</c>.</summary>
    StatusCheck,
}
