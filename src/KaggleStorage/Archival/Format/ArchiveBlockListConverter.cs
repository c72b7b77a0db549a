using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace KaggleStorage.Archival;

/// <summary>
/// The block table as one bare array per block, all on one line: as indented objects a 6.4 GB day's 6,400 blocks
/// would take about 900 KB of JSON, as bare arrays about a quarter of that.
/// </summary>
internal sealed class ArchiveBlockListConverter : JsonConverter<IReadOnlyList<ArchiveBlock>>
{
    public override IReadOnlyList<ArchiveBlock> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var blocks = new List<ArchiveBlock>();
        var values = new long[4];
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            Expect(ref reader, JsonTokenType.StartArray);
            for (var i = 0; i < values.Length; i++)
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out values[i]))
                {
                    throw new JsonException($"block {blocks.Count} must be an array of four integers");
                }
            }

            reader.Read();
            Expect(ref reader, JsonTokenType.EndArray);
            blocks.Add(new ArchiveBlock(values[0], values[1], values[2], values[3]));
        }

        return blocks;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<ArchiveBlock> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var block in value)
        {
            writer.WriteRawValue(string.Create(
                CultureInfo.InvariantCulture,
                $"[{block.CompressedOffset},{block.CompressedLength},{block.UncompressedOffset},{block.UncompressedLength}]"));
        }

        writer.WriteEndArray();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"the block table must be an array of [compressedOffset, compressedLength, uncompressedOffset, uncompressedLength] arrays, found {reader.TokenType}");
        }
    }
}
