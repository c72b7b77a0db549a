namespace KaggleStorage.Manifests;

/// <summary>A JSON document of the store that carries a schema version.</summary>
public interface IManifest
{
    /// <summary>The version of the document's shape; readers refuse versions newer than they know.</summary>
    int SchemaVersion { get; }
}
