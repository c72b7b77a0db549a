using System.IO.Abstractions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Layout;

/// <summary>
/// Rules that need more than one field or a look at the disk. The classic mistake it catches is a root
/// pointed at the <c>raw</c> area itself, which would nest every area inside raw.
/// </summary>
internal sealed class KaggleStorageOptionsValidator(IFileSystem fileSystem) : IValidateOptions<KaggleStorageOptions>
{
    /// <summary>
    /// The area a root names by mistake: <c>raw</c> always (the classic slip), the others only when their parent
    /// holds another area too, so a store may still live in a folder called, say, <c>/mnt/archive</c>.
    /// </summary>
    private StorageArea? AreaOfStore(string leaf, string? parent)
    {
        foreach (var area in StorageAreas.All)
        {
            if (!string.Equals(leaf, area.GetFolderName(), StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var besideOthers = parent is not null && StorageAreas.All.Any(other =>
                other != area && fileSystem.Directory.Exists(fileSystem.Path.Combine(parent, other.GetFolderName())));
            return area == StorageArea.Raw || besideOthers ? area : null;
        }

        return null;
    }

    public ValidateOptionsResult Validate(string? name, KaggleStorageOptions options)
    {
        var failures = new List<string>();
        var root = options.Root;

        if (string.IsNullOrWhiteSpace(root))
        {
            failures.Add("KaggleStorage:Root is empty; set it, or KAGGLE_DATA_ROOT, to the store root.");
        }
        else if (!fileSystem.Path.IsPathFullyQualified(root))
        {
            failures.Add($"KaggleStorage:Root '{root}' is not an absolute path.");
        }
        else
        {
            var trimmed = fileSystem.Path.TrimEndingDirectorySeparator(root);
            var leaf = fileSystem.Path.GetFileName(trimmed);
            var parent = fileSystem.Path.GetDirectoryName(trimmed);
            var grandparent = parent is null ? null : fileSystem.Path.GetDirectoryName(parent);
            if (fileSystem.File.Exists(trimmed))
            {
                failures.Add($"KaggleStorage:Root '{root}' is a file, not a folder; point it at the store root, the folder that holds raw/, processed/ and archive/.");
            }
            else if (AreaOfStore(leaf, parent) is { } area)
            {
                failures.Add(
                    $"KaggleStorage:Root '{root}' is a {area.GetFolderName()} area, not a store root; point it at the folder that holds raw/, processed/ and archive/ (here probably '{parent}').");
            }
            else if (PartitionDate.TryParse(leaf, out _) && parent is not null
                && StorageAreas.Partitioned.Any(a => string.Equals(fileSystem.Path.GetFileName(parent), a.GetFolderName(), StringComparison.Ordinal)))
            {
                failures.Add(
                    $"KaggleStorage:Root '{root}' is a day folder, not a store root; point it at the folder that holds raw/, processed/ and archive/ (here probably '{grandparent}').");
            }
            else if (FindDateFolder(root) is { } dateFolder)
            {
                failures.Add(
                    $"KaggleStorage:Root '{root}' directly holds the date folder '{dateFolder}', so it looks like a raw area; point it at the store root, whose raw/ holds the date folders.");
            }
        }

        if (!IsDatasetId(options.DatasetId))
        {
            failures.Add($"KaggleStorage:DatasetId '{options.DatasetId}' is not of the form owner/slug.");
        }

        if (options.LockWaitTimeout < TimeSpan.Zero)
        {
            failures.Add("KaggleStorage:LockWaitTimeout must not be negative.");
        }

        if (options.LockStaleAfter <= TimeSpan.Zero)
        {
            failures.Add("KaggleStorage:LockStaleAfter must be positive.");
        }

        if (options.LockRefreshInterval <= TimeSpan.Zero || (options.LockStaleAfter > TimeSpan.Zero && options.LockRefreshInterval * 2 > options.LockStaleAfter))
        {
            failures.Add(
                $"KaggleStorage:LockRefreshInterval ({options.LockRefreshInterval}) must be positive and at most half of KaggleStorage:LockStaleAfter ({options.LockStaleAfter}), so a live holder's lock never goes stale.");
        }

        if (options.MaxRestoreBytes <= 0)
        {
            failures.Add("KaggleStorage:MaxRestoreBytes must be positive.");
        }

        if (options.LockUnreadableGrace <= TimeSpan.Zero)
        {
            failures.Add("KaggleStorage:LockUnreadableGrace must be positive.");
        }

        if (!TryFindTimeZone(options.TimeZone, out _))
        {
            failures.Add(
                $"KaggleStorage:TimeZone '{options.TimeZone}' is not an IANA time zone id known to this system (for example UTC or Asia/Jerusalem); Windows ids such as 'Israel Standard Time' are not accepted.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string? FindDateFolder(string root)
    {
        if (!fileSystem.Directory.Exists(root))
        {
            return null;
        }

        return fileSystem.Directory.EnumerateDirectories(root)
            .Select(fileSystem.Path.GetFileName)
            .FirstOrDefault(folder => PartitionDate.TryParse(folder, out _));
    }

    /// <summary>
    /// The one time-zone rule of library and tool: an IANA id (<c>UTC</c>, <c>Asia/Jerusalem</c>) that this system's
    /// time zone database holds. Windows ids are refused everywhere, although .NET resolves them where ICU is loaded:
    /// the tool runs without ICU (invariant globalization) and could not, and a store shared by both must count its
    /// days the same way in each.
    /// </summary>
    internal static bool TryFindTimeZone(string? id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            var found = TimeZoneInfo.FindSystemTimeZoneById(id);
            zone = found.HasIanaId ? found : null;
            return zone is not null;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    private static bool IsDatasetId(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return false;
        }

        var slash = value.IndexOf('/', StringComparison.Ordinal);
        return slash > 0 && slash < value.Length - 1 && value.IndexOf('/', slash + 1) < 0 && !value.Any(char.IsWhiteSpace);
    }
}
