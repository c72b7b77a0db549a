using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;

namespace KaggleStorage.IO;

/// <summary>
/// Names on disk are bytes. .NET decodes them as UTF-8 and puts U+FFFD where a byte sequence is not UTF-8, which
/// yields a name that does not exist on disk; this is the one place that tells a name .NET can address from one it
/// cannot, and writes the latter for people with its bytes escaped.
/// </summary>
internal static class EntryNames
{
    /// <summary>Why a name that is not UTF-8 is refused, after its escaped path.</summary>
    public const string NotUtf8 = "has a name that is not valid UTF-8 (names are bytes: .NET cannot address it, so it is never archived, copied or deleted; rename it to UTF-8)";

    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The name as .NET addresses it, or false when its bytes are not valid UTF-8.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> name, [NotNullWhen(true)] out string? decoded)
    {
        try
        {
            decoded = Strict.GetString(name);
            return true;
        }
        catch (DecoderFallbackException)
        {
            decoded = null;
            return false;
        }
    }

    /// <summary>
    /// The name for a message on one line: valid UTF-8 as text, every other byte (and control characters) as
    /// <c>\xNN</c>, e.g. <c>\xE0\xF8\xE6.csv</c>.
    /// </summary>
    public static string Escape(ReadOnlySpan<byte> name)
    {
        var text = new StringBuilder(name.Length);
        while (!name.IsEmpty)
        {
            var status = Rune.DecodeFromUtf8(name, out var rune, out var consumed);
            if (status == System.Buffers.OperationStatus.Done && !Rune.IsControl(rune))
            {
                text.Append(rune.ToString());
            }
            else
            {
                foreach (var value in name[..consumed])
                {
                    text.Append(CultureInfo.InvariantCulture, $"\\x{value:X2}");
                }
            }

            name = name[consumed..];
        }

        return text.ToString();
    }
}
