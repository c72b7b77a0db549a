using System.CommandLine;
using System.Globalization;

namespace KaggleStorage.Tool;

/// <summary>
/// Numeric options that check their own text: a value that is not a number, or out of range, is a parse error
/// with one line naming the option and the accepted range (exit 2), never an exception in a validator.
/// </summary>
internal static class NumberOptions
{
    public static Option<int?> OptionalWholeNumber(string name, string description, int min, int max) =>
        new(name)
        {
            Description = description,
            CustomParser = result => ParseWholeNumber(result, name, min, max),
        };

    public static Option<int> WholeNumber(string name, string description, int min, int max, int defaultValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result => ParseWholeNumber(result, name, min, max) ?? defaultValue,
        };

    public static Option<double> Number(string name, string description, double minExclusive, double max, double defaultValue) =>
        new(name)
        {
            Description = description,
            DefaultValueFactory = _ => defaultValue,
            CustomParser = result =>
            {
                var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
                if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
                    && double.IsFinite(value) && value > minExclusive && value <= max)
                {
                    return value;
                }

                result.AddError($"{name} must be a number more than {minExclusive.ToString(CultureInfo.InvariantCulture)} and at most {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'.");
                return defaultValue;
            },
        };

    private static int? ParseWholeNumber(System.CommandLine.Parsing.ArgumentResult result, string name, int min, int max)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        result.AddError($"{name} must be a whole number from {min} to {max}, not '{text}'.");
        return null;
    }
}
