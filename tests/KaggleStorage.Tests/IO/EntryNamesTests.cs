using System.Text;
using KaggleStorage.IO;

namespace KaggleStorage.Tests.IO;

public sealed class EntryNamesTests
{
    [Theory]
    [InlineData(new byte[] { 0xE0, 0xF8, 0xE6, 0x2E, 0x63, 0x73, 0x76 }, @"\xE0\xF8\xE6.csv")]
    [InlineData(new byte[] { 0x72, 0xE9, 0x73, 0x75, 0x6D, 0xE9 }, @"r\xE9sum\xE9")]
    [InlineData(new byte[] { 0xC0, 0xAF }, @"\xC0\xAF")]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, @"\xED\xA0\x80")]
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 }, @"a\xE2\x82")]
    public void Names_that_are_not_utf8_are_refused_and_written_with_their_bytes_escaped(byte[] name, string escaped)
    {
        Assert.False(EntryNames.TryDecode(name, out var decoded));
        Assert.Null(decoded);
        Assert.Equal(escaped, EntryNames.Escape(name));
    }

    [Theory]
    [InlineData("prices.csv")]
    [InlineData("מחירים.csv")]
    [InlineData("\uFFFD literally.csv")]
    [InlineData(".hidden")]
    public void Utf8_names_decode_to_themselves_and_are_written_as_text(string name)
    {
        var bytes = Encoding.UTF8.GetBytes(name);

        Assert.True(EntryNames.TryDecode(bytes, out var decoded));
        Assert.Equal(name, decoded);
        Assert.Equal(name, EntryNames.Escape(bytes));
    }

    [Fact]
    public void Control_characters_are_escaped_so_a_name_stays_on_one_line()
    {
        Assert.Equal(@"a\x0Ab\x1B.csv", EntryNames.Escape("a\nb\u001B.csv"u8));
    }
}
