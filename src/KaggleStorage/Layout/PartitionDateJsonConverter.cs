using System.Text.Json;
using System.Text.Json.Serialization;
namespace KaggleStorage.Layout;

/// <summary>Writes a <see cref="PartitionDate"/> as its <c>"YYYYMMDD"</c> string, the same text as its folder.</summary>
public sealed class PartitionDateJsonConverter : JsonConverter<PartitionDate>
{
    /// <inheritdoc />
    public override PartitionDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            throw new JsonException($"A partition date must be a \"YYYYMMDD\" string, not {reader.TokenType}.");
        }

        var text = reader.GetString();
        return PartitionDate.TryParse(text, out var date)
            ? date
            : throw new JsonException($"'{text}' is not a partition date; expected YYYYMMDD.");
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, PartitionDate value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStringValue(value.ToString());
    }
}
