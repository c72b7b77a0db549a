using System.Globalization;
using System.Text.Encodings.Web;

namespace KaggleStorage.Tool.Rendering;

/// <summary>
/// Escapes in the tool's JSON only what JSON requires and what would hide or break a line: quote, backslash, C0 and
/// C1 controls, DEL, the line and paragraph separators, and a lone surrogate. Everything printable stays as itself
/// (<c>&gt;</c>, <c>≤</c>, Hebrew, an emoji in a file name), where the default encoder writes <c>\u003E</c> and
/// <see cref="JavaScriptEncoder.UnsafeRelaxedJsonEscaping"/> still escapes every character outside the BMP.
/// The output is read by jq and scripts, never embedded in HTML.
/// </summary>
internal sealed class ReadableJsonEncoder : JavaScriptEncoder
{
    public static ReadableJsonEncoder Instance { get; } = new();

    // A scalar outside the BMP is never escaped, so the longest escape is one \uXXXX.
    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar is < 0x20 or '"' or '\\' or (>= 0x7F and <= 0x9F) or 0x2028 or 0x2029 or (>= 0xD800 and <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        for (var index = 0; index < textLength; index++)
        {
            var character = text[index];
            if (char.IsHighSurrogate(character) && index + 1 < textLength && char.IsLowSurrogate(text[index + 1]))
            {
                index++;
                continue;
            }

            if (WillEncode(character))
            {
                return index;
            }
        }

        return -1;
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        var escaped = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\n' => "\\n",
            '\r' => "\\r",
            '\t' => "\\t",
            '\b' => "\\b",
            '\f' => "\\f",
            _ when WillEncode(unicodeScalar) => "\\u" + unicodeScalar.ToString("X4", CultureInfo.InvariantCulture),
            _ => char.ConvertFromUtf32(unicodeScalar),
        };
        if (escaped.Length > bufferLength)
        {
            numberOfCharactersWritten = 0;
            return false;
        }

        escaped.AsSpan().CopyTo(new Span<char>(buffer, bufferLength));
        numberOfCharactersWritten = escaped.Length;
        return true;
    }
}
