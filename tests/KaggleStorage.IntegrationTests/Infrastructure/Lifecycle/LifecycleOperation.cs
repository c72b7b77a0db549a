namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>What one step of a generated night does to the store.</summary>
internal enum LifecycleOperation
{
    /// <summary>
    /// The fetch job publishes a new raw day with a correct download manifest: written straight to disk, or (when
    /// the step is <see cref="LifecycleStep.ThroughTool"/>) by <c>download --date D</c> from the fake Kaggle.
    /// </summary>
    Download,

    /// <summary>A raw day whose manifest does not match its files (a CSV grew after the manifest was written).</summary>
    InvalidDownload,

    /// <summary>
    /// The ETL writes or re-writes files of processed/D, also after D was archived or its raw day pruned; now and
    /// then one of them under a name that is not UTF-8 (<see cref="LifecycleStep.NonUtf8Name"/>).
    /// </summary>
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

    /// <summary>
    /// The old fetch script writes a day into the legacy folder outside the store
    /// (<c>legacy/jobs/fetch-kaggle/data/kaggle_raw/D</c>): a day the store never had, or one it has with other
    /// bytes; now and then with a file whose name is not UTF-8.
    /// </summary>
    LegacyWrite,

    /// <summary><c>migrate --from &lt;legacy data folder&gt;</c>.</summary>
    Migrate,

    /// <summary><c>migrate --from &lt;legacy data folder&gt; --delete-source</c>.</summary>
    MigrateDeleteSource,

    /// <summary>An operator renames every name that is not UTF-8, in the store and the legacy folder, to UTF-8 (<c>convmv -f cp1255</c>).</summary>
    FixNames,
}
