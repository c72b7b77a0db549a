using System.Globalization;
using System.IO.Abstractions;
using System.Text;
using KaggleStorage.Layout;

namespace KaggleStorage.Tool.Demo;

/// <summary>
/// Writes one day of supermarket CSVs shaped like the Kaggle dataset (per chain a full price file and a full
/// promotion file, Hebrew item names, the dataset's column names). Deterministic for a given day and seed, so
/// tests and benchmarks can regenerate the same bytes.
/// </summary>
internal sealed class SampleDataWriter(IFileSystem fileSystem)
{
    private static readonly (string Name, string ChainId)[] Chains =
    [
        ("shufersal", "7290027600007"),
        ("rami_levy", "7290058140886"),
        ("victory", "7290696200003"),
        ("yohananof", "7290803800003"),
        ("osher_ad", "7290103152017"),
        ("tiv_taam", "7290873255550"),
    ];

    private static readonly string[] Products =
    [
        "חלב תנובה 3% 1 ליטר", "לחם אחיד פרוס", "ביצים L 12 יח'", "קוטג' 5% 250 גרם", "במבה אסם 80 גרם",
        "שמן קנולה 1 ליטר", "אורז פרסי 1 ק\"ג", "קפה נמס עלית 200 גרם", "שוקולד פרה, חלב", "פסטה ספגטי 500 גרם",
        "עגבניות שרי", "מלפפונים", "גבינה צהובה עמק 28%", "יוגורט דנונה 1.5%", "מים מינרליים 1.5 ליטר",
        "חומוס אחלה 400 גרם", "טחינה גולמית הנסיך", "ביסלי גריל", "קורנפלקס תלמה", "שמפו הד אנד שולדרס",
    ];

    private static readonly string[] Manufacturers =
        ["תנובה", "שטראוס", "אסם", "עלית", "טרה", "יטבתה", "סוגת", "וילי פוד", "יוניליוור", "לא ידוע"];

    private static readonly string[] Units = ["ליטר", "גרם", "קילוגרם", "יחידה", "מיליליטר"];

    private static readonly string[] Cities = ["תל אביב", "ירושלים", "חיפה", "באר שבע", "ראשון לציון", "פתח תקווה"];

    private const string StoreHeader = "chainid,storeid,storename,address,city";

    // Files overshoot their target by at most one batch, which keeps size tracking cheap.
    private const int RowsPerBatch = 64;

    private const string PriceHeader =
        "chainid,subchainid,storeid,bikoretno,priceupdatedate,itemcode,itemtype,itemname,manufacturername,manufacturecountry,manufactureritemdescription,unitqty,quantity,unitofmeasure,bisweighted,qtyinpackage,itemprice,unitofmeasureprice,allowdiscount,itemstatus,file_name,file_date";

    private const string PromoHeader =
        "chainid,subchainid,storeid,bikoretno,promotionid,promotiondescription,promotionupdatedate,promotionstartdate,promotionstarthour,promotionenddate,promotionendhour,rewardtype,allowmultiplediscounts,minqty,discountedprice,discountrate,itemcode,file_name,file_date";

    /// <summary>
    /// Writes the day's files into <paramref name="directory"/> (created when missing), about
    /// <paramref name="targetBytes"/> in total. Returns the file names written, ordinal order.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteDayAsync(
        string directory, PartitionDate date, long targetBytes, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetBytes);
        fileSystem.Directory.CreateDirectory(directory);
        // Not HashCode.Combine: it is randomized per process, and the same seed must give the same files anywhere.
        var random = new Random(unchecked((seed * 1_000_003) + date.Date.DayNumber) & int.MaxValue);
        var names = new List<string>();
        var perChain = Math.Max(1, targetBytes / Chains.Length);
        foreach (var (chain, chainId) in Chains)
        {
            // Prices dominate the real dataset; promotions are roughly a third of it.
            var priceName = $"price_full_file_{chain}.csv";
            await WriteFileAsync(directory, priceName, PriceHeader, perChain * 2 / 3,
                (builder, row) => AppendPriceRow(builder, random, chainId, priceName, date, row), cancellationToken);
            var promoName = $"promo_full_file_{chain}.csv";
            await WriteFileAsync(directory, promoName, PromoHeader, perChain - perChain * 2 / 3,
                (builder, row) => AppendPromoRow(builder, random, chainId, promoName, date, row), cancellationToken);
            names.Add(priceName);
            names.Add(promoName);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private async Task WriteFileAsync(
        string directory,
        string name,
        string header,
        long targetBytes,
        Action<StringBuilder, int> appendRow,
        CancellationToken cancellationToken)
    {
        var path = fileSystem.Path.Combine(directory, name);
        await using var stream = fileSystem.FileStream.New(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await using var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        writer.NewLine = "\n";
        await writer.WriteLineAsync(header);
        var builder = new StringBuilder(capacity: 1 << 17);
        long written = Encoding.UTF8.GetByteCount(header) + 1;
        var row = 0;
        while (written < targetBytes)
        {
            cancellationToken.ThrowIfCancellationRequested();
            builder.Clear();
            for (var i = 0; i < RowsPerBatch; i++)
            {
                appendRow(builder, row++);
            }

            foreach (var chunk in builder.GetChunks())
            {
                written += Encoding.UTF8.GetByteCount(chunk.Span);
            }

            await writer.WriteAsync(builder, cancellationToken);
        }
    }

    /// <summary>How many files a real day has: four kinds for 40 chains and two store files.</summary>
    public const int RealShapeFileCount = 162;

    /// <summary>
    /// Writes a day shaped like the real dataset: 162 files (<c>price_file_*</c>, <c>price_full_file_*</c>,
    /// <c>promo_file_*</c>, <c>promo_full_file_*</c> for 40 chains and two <c>store_file_*</c>), their sizes
    /// heavy-tailed (Zipf) so the largest full price file holds about a sixth of the day, as the 1.2 GB file of a
    /// 6.4 GB snapshot does. About <paramref name="targetBytes"/> in total. Returns the names, ordinal order.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteRealShapeDayAsync(
        string directory, PartitionDate date, long targetBytes, int seed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetBytes);
        fileSystem.Directory.CreateDirectory(directory);
        var random = new Random(unchecked((seed * 1_000_003) + date.Date.DayNumber) & int.MaxValue);
        var chains = Enumerable.Range(0, 40)
            .Select(i => i < Chains.Length ? Chains[i] : ($"chain_{i + 1:00}", (7290000000000L + (i * 7919)).ToString(CultureInfo.InvariantCulture)))
            .ToList();

        // Full price files first, so the heaviest weights land where the real data has them.
        var files = chains.Select(c => (Kind: "price_full_file", c.Item1, c.Item2))
            .Concat(chains.Select(c => (Kind: "promo_full_file", c.Item1, c.Item2)))
            .Concat(chains.Select(c => (Kind: "price_file", c.Item1, c.Item2)))
            .Concat(chains.Select(c => (Kind: "promo_file", c.Item1, c.Item2)))
            .Concat(chains.Take(2).Select(c => (Kind: "store_file", c.Item1, c.Item2)))
            .ToList();
        var weights = files.Select((_, i) => 1 / Math.Pow(i + 1, 1.02)).ToList();
        var total = weights.Sum();
        var names = new List<string>();
        for (var i = 0; i < files.Count; i++)
        {
            var (kind, chain, chainId) = files[i];
            var name = $"{kind}_{chain}.csv";
            var bytes = Math.Max(4096, (long)(targetBytes * weights[i] / total));
            if (kind.StartsWith("price", StringComparison.Ordinal))
            {
                await WriteFileAsync(directory, name, PriceHeader, bytes, (b, row) => AppendPriceRow(b, random, chainId, name, date, row), cancellationToken);
            }
            else if (kind.StartsWith("promo", StringComparison.Ordinal))
            {
                await WriteFileAsync(directory, name, PromoHeader, bytes, (b, row) => AppendPromoRow(b, random, chainId, name, date, row), cancellationToken);
            }
            else
            {
                await WriteFileAsync(directory, name, StoreHeader, bytes, (b, row) => AppendStoreRow(b, random, chainId, row), cancellationToken);
            }

            names.Add(name);
        }

        names.Sort(StringComparer.Ordinal);
        return names;
    }

    private static void AppendStoreRow(StringBuilder b, Random random, string chainId, int row) =>
        b.Append(chainId).Append(',').Append(row + 1).Append(',')
            .Append(Products[random.Next(Products.Length)].Split(' ')[0]).Append(" סניף ").Append(row + 1).Append(',')
            .Append("רחוב הרצל ").Append(random.Next(1, 200)).Append(',').Append(Cities[random.Next(Cities.Length)]).Append('\n');

    private static void AppendPriceRow(StringBuilder b, Random random, string chainId, string fileName, PartitionDate date, int row)
    {
        var store = random.Next(1, 400);
        var product = Products[random.Next(Products.Length)];
        var manufacturer = Manufacturers[random.Next(Manufacturers.Length)];
        var itemCode = 7290000000000L + random.Next(100_000, 999_999);
        var price = Math.Round(random.NextDouble() * 80 + 1.9, 2);
        var quantity = random.Next(1, 1000);
        var unit = Units[random.Next(Units.Length)];
        var updated = date.Date.ToDateTime(new TimeOnly(random.Next(0, 24), random.Next(0, 60))).AddDays(-random.Next(0, 30));
        var inv = CultureInfo.InvariantCulture;
        b.Append(chainId).Append(',').Append(random.Next(1, 4)).Append(',').Append(store).Append(',').Append(random.Next(1, 10)).Append(',')
            .Append(updated.ToString("yyyy-MM-dd HH:mm:ss", inv)).Append(',')
            .Append(itemCode).Append(',').Append(row % 17 == 0 ? 0 : 1).Append(',');
        AppendField(b, product);
        b.Append(',');
        AppendField(b, manufacturer);
        b.Append(',').Append("ישראל").Append(',');
        AppendField(b, product);
        b.Append(',').Append(unit).Append(',').Append(quantity.ToString(inv)).Append(".00,").Append(unit).Append(',')
            .Append(row % 11 == 0 ? 1 : 0).Append(',').Append(random.Next(1, 24)).Append(',')
            .Append(price.ToString("0.00", inv)).Append(',')
            .Append((price / Math.Max(1, quantity) * 100).ToString("0.00", inv)).Append(',')
            .Append(random.Next(0, 2)).Append(',').Append(1).Append(',')
            .Append(fileName).Append(',').Append(date.Date.ToString("yyyy-MM-dd", inv)).Append('\n');
    }

    private static void AppendPromoRow(StringBuilder b, Random random, string chainId, string fileName, PartitionDate date, int row)
    {
        var inv = CultureInfo.InvariantCulture;
        var start = date.Date.AddDays(-random.Next(0, 20));
        var end = start.AddDays(random.Next(7, 45));
        var product = Products[random.Next(Products.Length)];
        b.Append(chainId).Append(',').Append(random.Next(1, 4)).Append(',').Append(random.Next(1, 400)).Append(',').Append(random.Next(1, 10)).Append(',')
            .Append(1_000_000 + row).Append(',');
        AppendField(b, $"{product} 2 ב-{random.Next(10, 40)}");
        b.Append(',').Append(date.Date.ToString("yyyy-MM-dd", inv)).Append(" 06:00:00,")
            .Append(start.ToString("yyyy-MM-dd", inv)).Append(",00:00:00,")
            .Append(end.ToString("yyyy-MM-dd", inv)).Append(",23:59:00,")
            .Append(random.Next(1, 4)).Append(',').Append(random.Next(0, 2)).Append(',').Append(random.Next(1, 4)).Append(".00,")
            .Append((random.NextDouble() * 50 + 5).ToString("0.00", inv)).Append(',')
            .Append(random.Next(0, 5000)).Append(',')
            .Append(7290000000000L + random.Next(100_000, 999_999)).Append(',')
            .Append(fileName).Append(',').Append(date.Date.ToString("yyyy-MM-dd", inv)).Append('\n');
    }

    private static void AppendField(StringBuilder b, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\n") < 0)
        {
            b.Append(value);
            return;
        }

        b.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
