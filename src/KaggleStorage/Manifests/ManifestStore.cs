using System.IO.Abstractions;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace KaggleStorage.Manifests;

/// <summary>
/// Reads and writes the store's JSON documents. Writes go into staging and are published by the caller (see
/// <see cref="Locking.StoreLockHandle"/>); reads refuse malformed JSON and schema versions newer than this library knows, naming the file.
/// </summary>
public sealed class ManifestStore
{
    private readonly IFileSystem fileSystem;

    internal ManifestStore(IFileSystem fileSystem) => this.fileSystem = fileSystem;

    private const string SchemaVersionProperty = "schemaVersion";

    /// <summary>Reads a manifest.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ManifestFormatException">The file is not a valid manifest of this type.</exception>
    public async Task<T> ReadAsync<T>(string path, CancellationToken cancellationToken = default)
        where T : class, IManifest<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        var (typeInfo, newestKnown) = GetContract<T>();
        byte[] bytes;
        try
        {
            bytes = await fileSystem.File.ReadAllBytesAsync(path, cancellationToken);
        }
        catch (DirectoryNotFoundException exception)
        {
            throw new FileNotFoundException($"Manifest '{path}' does not exist.", path, exception);
        }

        return Deserialize(path, bytes, typeInfo, newestKnown);
    }

    /// <summary>Reads a manifest from a stream, such as an object of an archive store; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ManifestFormatException">The stream does not hold a valid manifest of this type.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance member beside the path overload, for callers that hold the service.")]
    internal async Task<T> ReadFromAsync<T>(Stream stream, string source, CancellationToken cancellationToken = default)
        where T : class, IManifest<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(source);
        var (typeInfo, newestKnown) = GetContract<T>();
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken);
        return Deserialize(source, buffer.ToArray(), typeInfo, newestKnown);
    }

    /// <summary>Reads a manifest, or returns null when the file does not exist.</summary>
    /// <exception cref="ManifestFormatException">The file exists but is not a valid manifest of this type.</exception>
    public async Task<T?> TryReadAsync<T>(string path, CancellationToken cancellationToken = default)
        where T : class, IManifest<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        return fileSystem.File.Exists(path) ? await ReadAsync<T>(path, cancellationToken) : null;
    }

    /// <summary>
    /// Writes a document into <paramref name="path"/> as it is, creating the folder when needed. Internal because it
    /// makes no file appear atomically by itself; callers outside write into a staged folder with
    /// <see cref="WriteStagedAsync"/>.
    /// </summary>
    internal async Task WriteAsync<T>(string path, T manifest, CancellationToken cancellationToken = default)
        where T : class, IManifest<T>
    {
        ArgumentNullException.ThrowIfNull(path);
        fileSystem.Directory.CreateDirectory(fileSystem.Path.GetDirectoryName(path)!);
        await using var stream = fileSystem.FileStream.New(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 14, useAsync: true);
        await SerializeAsync(stream, manifest, cancellationToken);
    }

    /// <summary>
    /// Writes a document as <paramref name="fileName"/> into a staged folder, which appears whole when the folder is
    /// published; the only way outside the library to write a document by path, so none appears half-written. To
    /// replace a published file use <see cref="Locking.StoreLockHandle.WriteFileAsync"/> with
    /// <see cref="SerializeAsync"/>.
    /// </summary>
    public Task WriteStagedAsync<T>(IO.StagedDirectory staged, string fileName, T manifest, CancellationToken cancellationToken = default)
        where T : class, IManifest<T>
    {
        ArgumentNullException.ThrowIfNull(staged);
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        if (fileSystem.Path.GetFileName(fileName) != fileName)
        {
            throw new ArgumentException("A document of a staged folder is named without a folder.", nameof(fileName));
        }

        return WriteAsync(fileSystem.Path.Combine(staged.Path, fileName), manifest, cancellationToken);
    }

    /// <summary>
    /// The files of a day folder as its download manifest lists them (name, size, SHA-256, CSV row count), under the
    /// store's one rule of what a day holds; the manifest itself is left out. For a writer that lands a raw day of
    /// its own, before it writes the manifest.
    /// </summary>
    /// <exception cref="Errors.StorageOperationException">The folder holds a link, fifo, socket or device.</exception>
    public Task<IReadOnlyList<ManifestFile>> ListDayFilesAsync(string dayFolder, CancellationToken cancellationToken = default) =>
        new FileFingerprinter(fileSystem).ComputePartitionAsync(dayFolder, cancellationToken);

    /// <summary>Writes a manifest's JSON to <paramref name="stream"/>.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance member beside the path overload, for callers that hold the service.")]
    public Task SerializeAsync<T>(Stream stream, T manifest, CancellationToken cancellationToken = default)
        where T : class, IManifest<T>
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(manifest);
        var (typeInfo, _) = GetContract<T>();
        return JsonSerializer.SerializeAsync(stream, manifest, typeInfo, cancellationToken);
    }

    private static T Deserialize<T>(string path, byte[] bytes, JsonTypeInfo<T> typeInfo, int newestKnown)
        where T : class, IManifest<T>
    {
        // The version is checked before binding, so a newer schema is reported as such rather than as
        // whatever field happens not to bind first.
        try
        {
            using var document = JsonDocument.Parse(bytes);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ManifestFormatException(path, $"expected a JSON object, found {document.RootElement.ValueKind}.");
            }

            if (!document.RootElement.TryGetProperty(SchemaVersionProperty, out var version)
                || version.ValueKind != JsonValueKind.Number
                || !version.TryGetInt32(out var schemaVersion))
            {
                throw new ManifestFormatException(path, $"'{SchemaVersionProperty}' is missing or not an integer.");
            }

            if (schemaVersion > newestKnown)
            {
                throw new ManifestFormatException(
                    path,
                    $"schema version {schemaVersion} is newer than this version of KaggleStorage reads (up to {newestKnown}); upgrade the library or tool.");
            }

            if (schemaVersion < 1)
            {
                throw new ManifestFormatException(path, $"schema version {schemaVersion} is not valid.");
            }

            var manifest = document.RootElement.Deserialize(typeInfo)
                ?? throw new ManifestFormatException(path, "the document is null.");

            // Nullable annotations are enforced on properties, not on list elements: a null entry is found here.
            return manifest.FindNullEntry() is { } where
                ? throw new ManifestFormatException(path, $"{where} is null.")
                : manifest;
        }
        catch (JsonException exception)
        {
            var where = exception.LineNumber is { } line ? $" (line {line + 1}, byte {exception.BytePositionInLine + 1})" : string.Empty;
            var at = exception.Path is { Length: > 0 } jsonPath && !exception.Message.Contains(jsonPath, StringComparison.Ordinal)
                ? $" at {jsonPath}"
                : string.Empty;
            throw new ManifestFormatException(path, $"{exception.Message.TrimEnd('.')}{at}{where}.", exception);
        }
    }

    private static (JsonTypeInfo<T> TypeInfo, int NewestKnown) GetContract<T>()
        where T : class, IManifest<T> => (T.JsonTypeInfo, T.NewestSchemaVersion);
}
