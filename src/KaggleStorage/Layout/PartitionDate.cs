using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace KaggleStorage.Layout;

/// <summary>
/// One day of the store, written <c>YYYYMMDD</c> (for example <c>20241026</c>). A Gregorian date with no time
/// zone and no culture: the folder name and the value are the same thing.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(PartitionDateJsonConverter))]
public readonly struct PartitionDate :
    IEquatable<PartitionDate>,
    IComparable<PartitionDate>,
    IComparable,
    ISpanFormattable,
    ISpanParsable<PartitionDate>
{
    /// <summary>The exact text form of a partition date.</summary>
    public const string Format = "yyyyMMdd";

    private PartitionDate(DateOnly date) => Date = date;

    /// <summary>The calendar day.</summary>
    public DateOnly Date { get; }

    /// <summary>The partition for a calendar day.</summary>
    public static PartitionDate FromDate(DateOnly date) => new(date);

    /// <summary>The partition for a year, month and day; throws when they do not name a real day.</summary>
    public static PartitionDate FromParts(int year, int month, int day) => new(new DateOnly(year, month, day));

    /// <summary>Parses exactly eight digits <c>YYYYMMDD</c> naming a real Gregorian day.</summary>
    /// <exception cref="FormatException">The text is not such a date; the message names the text.</exception>
    public static PartitionDate Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return ParseSpan(text.AsSpan());
    }

    // The provider-taking forms exist for generic parsing (ISpanParsable: configuration, command lines, route
    // values); a day has one culture-free form, so callers are shown only the plain ones.
    static PartitionDate IParsable<PartitionDate>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static PartitionDate ISpanParsable<PartitionDate>.Parse(ReadOnlySpan<char> s, IFormatProvider? provider) => ParseSpan(s);

    private static PartitionDate ParseSpan(ReadOnlySpan<char> s)
    {
        if (TryParseCore(s, out var result, out var problem))
        {
            return result;
        }

        throw new FormatException(
            $"'{s.ToString()}' is not a partition date: {problem}; expected YYYYMMDD, for example 20241026.");
    }

    /// <summary>Parses like <see cref="Parse(string)"/> but returns false instead of throwing.</summary>
    public static bool TryParse([NotNullWhen(true)] string? text, out PartitionDate result) =>
        TryParseCore(text.AsSpan(), out result, out _);

    static bool IParsable<PartitionDate>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out PartitionDate result) =>
        TryParse(s, out result);

    static bool ISpanParsable<PartitionDate>.TryParse(ReadOnlySpan<char> s, IFormatProvider? provider, out PartitionDate result) =>
        TryParseCore(s, out result, out _);

    /// <summary>
    /// The day a name starts with, such as <c>20241026.tar.gz</c> or <c>20241026.json</c>: the first eight characters
    /// are the day and <paramref name="rest"/> is what follows them. The one reader of a day at the start of a name;
    /// what may follow is the caller's rule.
    /// </summary>
    internal static bool TryParseLeading(ReadOnlySpan<char> name, out PartitionDate date, out ReadOnlySpan<char> rest)
    {
        if (name.Length < 8)
        {
            date = default;
            rest = [];
            return false;
        }

        rest = name[8..];
        return TryParseCore(name[..8], out date, out _);
    }

    /// <summary>The day a name is, followed by exactly <paramref name="suffix"/>, such as <c>20241026.json</c>.</summary>
    internal static bool TryParseName(ReadOnlySpan<char> name, ReadOnlySpan<char> suffix, out PartitionDate date)
    {
        if (TryParseLeading(name, out date, out var rest) && rest.SequenceEqual(suffix))
        {
            return true;
        }

        date = default;
        return false;
    }

    /// <summary>
    /// The first day written anywhere inside a name as eight digits that are not part of a longer number, such as
    /// <c>report_20241026.html</c> or <c>20241026T020000Z.json</c>; null when there is none.
    /// </summary>
    internal static PartitionDate? FindIn(ReadOnlySpan<char> name)
    {
        for (var start = 0; start + 8 <= name.Length; start++)
        {
            if ((start > 0 && char.IsAsciiDigit(name[start - 1]))
                || (start + 8 < name.Length && char.IsAsciiDigit(name[start + 8])))
            {
                continue;
            }

            if (TryParseCore(name.Slice(start, 8), out var date, out _))
            {
                return date;
            }
        }

        return null;
    }

    private static bool TryParseCore(ReadOnlySpan<char> s, out PartitionDate result, out string problem)
    {
        result = default;
        if (s.IsEmpty)
        {
            problem = "the text is empty";
            return false;
        }

        if (s.Length != 8)
        {
            problem = $"it has {s.Length} characters, not 8";
            return false;
        }

        foreach (var c in s)
        {
            // char.IsDigit accepts other scripts' digits; a folder name must be ASCII.
            if (c is < '0' or > '9')
            {
                problem = $"'{c}' is not a digit";
                return false;
            }
        }

        if (!DateOnly.TryParseExact(s, Format, CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            problem = "there is no such day in the Gregorian calendar";
            return false;
        }

        result = new PartitionDate(date);
        problem = string.Empty;
        return true;
    }

    /// <summary>The <c>YYYYMMDD</c> text, which is also the partition's folder name.</summary>
    public override string ToString() => Date.ToString(Format, CultureInfo.InvariantCulture);

    string IFormattable.ToString(string? format, IFormatProvider? formatProvider) => ToString();

    bool ISpanFormattable.TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider) =>
        Date.TryFormat(destination, out charsWritten, Format, CultureInfo.InvariantCulture);

    /// <summary>The partition <paramref name="days"/> days later (earlier when negative).</summary>
    public PartitionDate AddDays(int days) => new(Date.AddDays(days));

    /// <summary>Whole days from <paramref name="other"/> to this partition.</summary>
    public int DaysSince(PartitionDate other) => Date.DayNumber - other.Date.DayNumber;

    /// <inheritdoc />
    public bool Equals(PartitionDate other) => Date == other.Date;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is PartitionDate other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Date.GetHashCode();

    /// <inheritdoc />
    public int CompareTo(PartitionDate other) => Date.CompareTo(other.Date);

    int IComparable.CompareTo(object? obj) => obj switch
    {
        null => 1,
        PartitionDate other => CompareTo(other),
        _ => throw new ArgumentException($"Object must be of type {nameof(PartitionDate)}.", nameof(obj)),
    };

#pragma warning disable CS1591 // Operators are self-describing.
    public static bool operator ==(PartitionDate left, PartitionDate right) => left.Equals(right);
    public static bool operator !=(PartitionDate left, PartitionDate right) => !left.Equals(right);
    public static bool operator <(PartitionDate left, PartitionDate right) => left.CompareTo(right) < 0;
    public static bool operator <=(PartitionDate left, PartitionDate right) => left.CompareTo(right) <= 0;
    public static bool operator >(PartitionDate left, PartitionDate right) => left.CompareTo(right) > 0;
    public static bool operator >=(PartitionDate left, PartitionDate right) => left.CompareTo(right) >= 0;
#pragma warning restore CS1591
}
