using System.Text.Json;

namespace KaggleStorage.Migration;

/// <summary>
/// Reads what an old job's own <c>download_manifest.json</c> can be understood to claim about its files, whatever
/// its field names: a list of file objects (under any property, or as the document itself) naming each file
/// (<c>name</c>, <c>file</c>, <c>filename</c>, <c>path</c>) with a size (<c>size</c>, <c>sizeBytes</c>,
/// <c>size_bytes</c>, <c>bytes</c>, <c>length</c>) and a hash (<c>sha256</c>, <c>md5</c>, or a <c>checksum</c>
/// whose length says which), or an object mapping file names to sizes or to such objects. What cannot be
/// understood claims nothing; it is still kept byte for byte.
/// </summary>
internal static class LegacyManifestReader
{
    private static readonly string[] NameKeys = ["name", "file", "filename", "file_name", "fileName", "path"];
    private static readonly string[] SizeKeys = ["size", "sizeBytes", "size_bytes", "bytes", "length", "file_size"];
    private static readonly string[] Sha256Keys = ["sha256", "sha_256", "sha256sum"];
    private static readonly string[] Md5Keys = ["md5", "md5sum", "md5_hash"];

    public static IReadOnlyList<LegacyClaim> Read(byte[] json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return FindClaims(document.RootElement).ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }

    private static IEnumerable<LegacyClaim> FindClaims(JsonElement element)
    {
        if (element.ValueKind == JsonValueKind.Array)
        {
            return element.EnumerateArray().Select(item => FromObject(item, nameHint: null)).OfType<LegacyClaim>();
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        foreach (var property in element.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().Any(item => FromObject(item, null) is not null))
            {
                return FindClaims(property.Value);
            }
        }

        // A map of file name to size, or to a file object.
        foreach (var property in element.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
        {
            var claims = property.Value.EnumerateObject()
                .Select(entry => entry.Value.ValueKind == JsonValueKind.Number && entry.Value.TryGetInt64(out var size)
                    ? new LegacyClaim(entry.Name, size, null, null)
                    : FromObject(entry.Value, entry.Name))
                .OfType<LegacyClaim>()
                .ToList();
            if (claims.Count > 0 && claims.Count == property.Value.EnumerateObject().Count())
            {
                return claims;
            }
        }

        return [];
    }

    private static LegacyClaim? FromObject(JsonElement item, string? nameHint)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var name = Text(item, NameKeys) ?? nameHint;
        if (string.IsNullOrEmpty(name))
        {
            return null;
        }

        long? size = null;
        foreach (var key in SizeKeys)
        {
            if (item.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var parsed))
            {
                size = parsed;
                break;
            }
        }

        var sha256 = Text(item, Sha256Keys);
        var md5 = Text(item, Md5Keys);
        if (Text(item, ["checksum", "hash"]) is { } checksum)
        {
            sha256 ??= checksum.Length == 64 ? checksum : null;
            md5 ??= checksum.Length == 32 ? checksum : null;
        }

        return new LegacyClaim(name.Replace('\\', '/'), size, sha256?.ToLowerInvariant(), md5?.ToLowerInvariant());
    }

    private static string? Text(JsonElement item, string[] keys)
    {
        foreach (var key in keys)
        {
            if (item.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }
}
