using KaggleStorage.Layout;

namespace KaggleStorage.Tests.Layout;

public sealed class PartitionDateTests
{
    [Theory]
    [InlineData("20241026", 2024, 10, 26)]
    [InlineData("20240229", 2024, 2, 29)]
    [InlineData("00010101", 1, 1, 1)]
    [InlineData("99991231", 9999, 12, 31)]
    public void Parse_reads_exact_yyyymmdd_and_round_trips(string text, int year, int month, int day)
    {
        var date = PartitionDate.Parse(text);

        Assert.Equal(new DateOnly(year, month, day), date.Date);
        Assert.Equal(text, date.ToString());
        Assert.Equal(date, PartitionDate.Parse(date.ToString()));
    }

    [Theory]
    [InlineData("20241332", "no such day")]
    [InlineData("20230229", "no such day")]
    [InlineData("2024-10-26", "10 characters")]
    [InlineData("2024102", "7 characters")]
    [InlineData("", "empty")]
    [InlineData("2024102x", "'x' is not a digit")]
    [InlineData("٢٠٢٤١٠٢٦", "is not a digit")]
    [InlineData(" 2024102", "' ' is not a digit")]
    public void Parse_rejects_bad_forms_naming_input_and_expected_form(string text, string problem)
    {
        var exception = Assert.Throws<FormatException>(() => PartitionDate.Parse(text));

        Assert.Contains($"'{text}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("YYYYMMDD", exception.Message, StringComparison.Ordinal);
        Assert.Contains(problem, exception.Message, StringComparison.Ordinal);
        Assert.False(PartitionDate.TryParse(text, out _));
    }

    [Theory]
    [InlineData("report_20241026.html", "20241026")]
    [InlineData("20241026T020000Z.json", "20241026")]
    [InlineData("x120241026.csv", null)]
    [InlineData("202410261.csv", null)]
    [InlineData("20241399-20241026.txt", "20241026")]
    [InlineData("notes.txt", null)]
    public void A_day_inside_a_name_is_eight_digits_not_inside_a_longer_number(string name, string? expected) =>
        Assert.Equal(expected, PartitionDate.FindIn(name)?.ToString());

    [Theory]
    [InlineData("20241026.tar.gz", "20241026", ".tar.gz")]
    [InlineData("20241026.tar.gz.index.json", "20241026", ".tar.gz.index.json")]
    [InlineData("20241026", "20241026", "")]
    [InlineData("20241332.tar.gz", null, null)]
    [InlineData("2024102.tar.gz", null, null)]
    [InlineData("x20241026.tar.gz", null, null)]
    [InlineData("2024102", null, null)]
    public void A_day_at_the_start_of_a_name_is_read_with_what_follows_it(string name, string? day, string? rest)
    {
        var found = PartitionDate.TryParseLeading(name, out var date, out var after);

        Assert.Equal(day is not null, found);
        Assert.Equal(day, found ? date.ToString() : null);
        Assert.Equal(rest, found ? after.ToString() : null);
    }

    [Theory]
    [InlineData("20241026.json", ".json", true)]
    [InlineData("20241026.json.tmp", ".json", false)]
    [InlineData("20241026.x.json", ".json", false)]
    [InlineData("20241026.tar.gz", ".tar.gz", true)]
    [InlineData("20241026.tar.gz", ".json", false)]
    public void A_name_is_a_day_only_when_exactly_the_suffix_follows(string name, string suffix, bool expected) =>
        Assert.Equal(expected, PartitionDate.TryParseName(name, suffix, out _));

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(PartitionDate.TryParse(null, out var date));
        Assert.Equal(default, date);
    }

    [Fact]
    public void Dates_compare_chronologically()
    {
        var dates = new[] { "20241101", "20240101", "20241026" }.Select(PartitionDate.Parse).Order().Select(d => d.ToString());

        Assert.Equal(new[] { "20240101", "20241026", "20241101" }, dates);
        Assert.True(PartitionDate.Parse("20241026") < PartitionDate.Parse("20241027"));
        Assert.True(PartitionDate.Parse("20241027") >= PartitionDate.Parse("20241027"));
    }

    [Fact]
    public void AddDays_and_DaysSince_cross_month_and_year_boundaries()
    {
        var date = PartitionDate.Parse("20241231");

        Assert.Equal("20250101", date.AddDays(1).ToString());
        Assert.Equal("20240301", PartitionDate.Parse("20240229").AddDays(1).ToString());
        Assert.Equal(366, PartitionDate.Parse("20250101").DaysSince(PartitionDate.Parse("20240101")));
    }

    [Fact]
    public void Formatting_ignores_culture_and_format_strings()
    {
        var date = PartitionDate.FromParts(2024, 10, 26);
        var previous = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = new System.Globalization.CultureInfo("ar-SA");
            Assert.Equal("20241026", date.ToString());
            Assert.Equal("20241026", $"{date}");
            Assert.Equal("20241026", ((IFormattable)date).ToString("D", null));
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = previous;
        }
    }
}
