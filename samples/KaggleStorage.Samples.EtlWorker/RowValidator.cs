using System.Globalization;

namespace KaggleStorage.Samples.EtlWorker;

/// <summary>
/// The rules a row of the supermarket files must meet: required columns present, prices numeric and not negative,
/// dates that parse, and no item code twice for the same store in one file.
/// </summary>
public sealed class RowValidator
{
    private static readonly string[] DateFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd", "yyyy-MM-ddTHH:mm:ss", "yyyyMMdd"];

    private readonly HashSet<(string Store, string Item)> _seen = [];

    /// <summary>Columns every file must have; price files also need <c>itemprice</c>.</summary>
    public static IReadOnlyList<string> RequiredColumns(string fileName) =>
        fileName.StartsWith("price", StringComparison.OrdinalIgnoreCase)
            ? ["chainid", "storeid", "itemcode", "itemprice"]
            : ["chainid", "itemcode"];

    /// <summary>The names of the rules a row breaks; empty when it is fine.</summary>
    public IReadOnlyList<string> Check(Func<string, string?> field)
    {
        ArgumentNullException.ThrowIfNull(field);
        var broken = new List<string>();
        foreach (var column in new[] { "itemprice", "unitofmeasureprice", "discountedprice" })
        {
            if (field(column) is { Length: > 0 } text
                && (!decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var price) || price < 0))
            {
                broken.Add("price-numeric-non-negative");
                break;
            }
        }

        foreach (var column in new[] { "priceupdatedate", "promotionstartdate", "promotionenddate", "file_date" })
        {
            if (field(column) is { Length: > 0 } text
                && !DateTime.TryParseExact(text, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
            {
                broken.Add("dates-parse");
                break;
            }
        }

        if (field("storeid") is { } store && field("itemcode") is { Length: > 0 } item && !_seen.Add((store, item)))
        {
            broken.Add("item-unique-per-store");
        }

        return broken;
    }
}
