using System.Buffers;
using System.Text;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Names from a zip or from Kaggle's listing as one printable line: a name that is not valid UTF-8 must still be
/// named in an error, byte for byte, and a name with a control character must not break the one-line message.
/// </summary>
internal static class EntryNameText
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Decodes <paramref name="bytes"/> as UTF-8, or returns null when they are not valid UTF-8.</summary>
    public static string? TryDecodeUtf8(ReadOnlySpan<byte> bytes)
    {
        try
        {
            return StrictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    /// <summary>The name's bytes as text: valid UTF-8 as itself, every other byte (and control character) as <c>\xNN</c>.</summary>
    public static string Escape(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                // One invalid byte at a time, so the bytes after it are read as what they are.
                consumed = 1;
            }

            if (status == OperationStatus.Done && !NeedsEscape(rune))
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (var b in bytes[..consumed])
                {
                    text.Append(System.Globalization.CultureInfo.InvariantCulture, $"\\x{b:X2}");
                }
            }

            bytes = bytes[consumed..];
        }

        return text.ToString();
    }

    /// <summary>A decoded name as one printable line (its UTF-8 bytes escaped as <see cref="Escape(ReadOnlySpan{byte})"/> does).</summary>
    public static string Escape(string name) => Escape(Encoding.UTF8.GetBytes(name));

    // A backslash is escaped too, so that "\xE0" in a message always means the byte, never those four characters.
    private static bool NeedsEscape(Rune rune) => Rune.IsControl(rune) || rune.Value == '\\';
}
