namespace KaggleStorage.Tool.Rendering;

/// <summary>A count with its noun in the right number for people to read: "1 day", "2 days", never "1 day(s)".</summary>
internal static class Quantity
{
    /// <summary><paramref name="count"/> and the noun; <paramref name="plural"/> only where adding "s" is wrong.</summary>
    public static string Of(long count, string singular, string? plural = null) =>
        $"{count} {(count == 1 ? singular : plural ?? singular + "s")}";
}
