using System.Globalization;

namespace KaggleStorage.IO;

/// <summary>
/// The library's one way of writing a size for people: binary units (1 KiB = 1024 B) with one decimal, as
/// <c>du -h</c> and <c>ls -lh</c> print them, the same rule the tool renders with.
/// </summary>
internal static class ByteCount
{
    private static readonly string[] Units = ["B", "KiB", "MiB", "GiB", "TiB"];

    public static string Format(long bytes)
    {
        double value = bytes;
        var unit = 0;
        while (Math.Abs(value) >= 1024 && unit < Units.Length - 1)
        {
            value /= 1024;
            unit++;
        }

        return unit == 0
            ? string.Create(CultureInfo.InvariantCulture, $"{bytes} B")
            : string.Create(CultureInfo.InvariantCulture, $"{value:0.0} {Units[unit]}");
    }
}
