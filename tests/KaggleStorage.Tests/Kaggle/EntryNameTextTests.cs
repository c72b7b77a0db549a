using System.Text;
using KaggleStorage.Kaggle;

namespace KaggleStorage.Tests.Kaggle;

public sealed class EntryNameTextTests
{
    [Theory]
    [InlineData(new byte[] { 0x61, 0xE0, 0x2E, 0x63 }, @"a\xE0.c")]
    [InlineData(new byte[] { 0xF9, 0xE5, 0x2E }, @"\xF9\xE5.")]
    [InlineData(new byte[] { 0xE0, 0xA4 }, @"\xE0\xA4")]
    [InlineData(new byte[] { 0x61, 0x0A, 0x62 }, @"a\x0Ab")]
    [InlineData(new byte[] { 0x61, 0x5C, 0x62 }, @"a\x5Cb")]
    public void Bytes_that_are_not_printable_utf8_are_escaped_one_by_one(byte[] name, string expected) =>
        Assert.Equal(expected, EntryNameText.Escape(name));

    [Fact]
    public void Valid_utf8_is_kept_as_itself()
    {
        const string name = "stores/שופרסל 3%.csv";

        Assert.Equal(name, EntryNameText.Escape(Encoding.UTF8.GetBytes(name)));
        Assert.Equal(name, EntryNameText.TryDecodeUtf8(Encoding.UTF8.GetBytes(name)));
    }

    [Fact]
    public void Invalid_utf8_does_not_decode()
    {
        Assert.Null(EntryNameText.TryDecodeUtf8([0x61, 0xE0, 0x2E]));
        Assert.Null(EntryNameText.TryDecodeUtf8([0xC0, 0xAF]));
    }
}
