namespace KaggleStorage.Archival;

/// <summary>
/// An archive store that lives in a package of its own (S3 in <c>KaggleStorage.S3</c>), registered by that
/// package's <c>Add…</c> call. The library keeps no reference to such a package, so it learns of the store only
/// through this registration: which <see cref="ArchiveStoreKind"/> it serves and how it is built.
/// </summary>
/// <param name="Kind">The value of <c>KaggleStorage:Archive:Store</c> it serves.</param>
/// <param name="Create">Builds the store from the host's services (its own options, logger, client).</param>
internal sealed record ArchiveStoreProvider(ArchiveStoreKind Kind, Func<IServiceProvider, IArchiveStore> Create);
