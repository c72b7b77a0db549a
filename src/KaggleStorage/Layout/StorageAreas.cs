using System.Diagnostics.CodeAnalysis;

namespace KaggleStorage.Layout;

/// <summary>Folder names of the <see cref="StorageArea"/> values and the way back.</summary>
public static class StorageAreas
{
    /// <summary>Every area, in layout order.</summary>
    public static IReadOnlyList<StorageArea> All { get; } =
        [StorageArea.Raw, StorageArea.Processed, StorageArea.Reports, StorageArea.Metadata, StorageArea.Archive];

    /// <summary>Areas that hold one <c>YYYYMMDD</c> folder per day.</summary>
    internal static IReadOnlyList<StorageArea> Partitioned { get; } = [StorageArea.Raw, StorageArea.Processed];

    /// <summary>The area's folder name under the root, e.g. <c>raw</c>.</summary>
    public static string GetFolderName(this StorageArea area) => area switch
    {
        StorageArea.Raw => "raw",
        StorageArea.Processed => "processed",
        StorageArea.Reports => "reports",
        StorageArea.Metadata => "metadata",
        StorageArea.Archive => "archive",
        _ => throw new ArgumentOutOfRangeException(nameof(area), area, "Unknown storage area."),
    };

    /// <summary>Whether the area holds one <c>YYYYMMDD</c> folder per day.</summary>
    internal static bool IsPartitioned(this StorageArea area) => area is StorageArea.Raw or StorageArea.Processed;

    /// <summary>Parses a folder name such as <c>raw</c> (case-insensitive).</summary>
    internal static bool TryParse([NotNullWhen(true)] string? name, out StorageArea area)
    {
        foreach (var candidate in All)
        {
            if (string.Equals(candidate.GetFolderName(), name, StringComparison.OrdinalIgnoreCase))
            {
                area = candidate;
                return true;
            }
        }

        area = default;
        return false;
    }

    /// <summary>Parses a folder name such as <c>raw</c>.</summary>
    /// <exception cref="FormatException">Not an area name; the message lists the valid ones.</exception>
    public static StorageArea Parse(string name) =>
        TryParse(name, out var area)
            ? area
            : throw new FormatException(
                $"'{name}' is not a storage area; expected one of: {string.Join(", ", All.Select(a => a.GetFolderName()))}.");
}
