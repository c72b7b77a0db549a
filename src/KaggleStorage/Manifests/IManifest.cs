using System.Text.Json.Serialization.Metadata;

namespace KaggleStorage.Manifests;

/// <summary>
/// A document type that <see cref="ManifestStore"/> reads and writes. Each type carries its own JSON contract, so
/// the store needs to know none of them and each folder keeps its documents and their JSON context.
/// </summary>
/// <typeparam name="TSelf">The document type itself.</typeparam>
public interface IManifest<TSelf>
    where TSelf : class, IManifest<TSelf>
{
    /// <summary>The version of the document's shape; readers refuse versions newer than they know.</summary>
    int SchemaVersion { get; }

    /// <summary>The source-generated JSON contract of the type.</summary>
    internal static abstract JsonTypeInfo<TSelf> JsonTypeInfo { get; }

    /// <summary>The newest schema version this library reads and writes.</summary>
    internal static abstract int NewestSchemaVersion { get; }

    /// <summary>
    /// Where a null sits that the JSON contract cannot refuse by itself (nullable annotations are enforced on
    /// properties, not on list elements), as a JSON path; null when there is none.
    /// </summary>
    internal string? FindNullEntry();
}
