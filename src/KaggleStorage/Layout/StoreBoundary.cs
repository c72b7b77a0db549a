using System.IO.Abstractions;
using KaggleStorage.Errors;

namespace KaggleStorage.Layout;

/// <summary>
/// The one rule that keeps sources and targets of the store's commands apart from the store: a folder that is the
/// store, lies inside it or contains it is refused. Paths are compared after resolving every symbolic link on the
/// way, because a legacy <c>kaggle_raw</c> symlinked to <c>&lt;root&gt;/raw</c> is the store under another name,
/// and "deleting a source day" there deletes the store's only copy.
/// </summary>
internal sealed class StoreBoundary(StorageLayout layout, IFileSystem fileSystem)
{
    // Linux gives up after 40 links too (ELOOP); a loop must not hang the command.
    private const int MaxLinkHops = 40;

    private enum Overlap
    {
        None,
        Same,
        Inside,
        Contains,
    }

    /// <summary>
    /// Refuses <paramref name="path"/> when it, or any of <paramref name="within"/> (the entries under it that the
    /// command reads or writes, which may be links of their own), resolves to the store, into it, or to a folder
    /// holding it.
    /// </summary>
    /// <param name="role">What the path is, for the message, e.g. "the legacy folder".</param>
    /// <param name="path">The path as given.</param>
    /// <param name="within">Entries under <paramref name="path"/> to resolve as well; missing ones are fine.</param>
    /// <exception cref="StorageInputException">The path or one of the entries overlaps the store.</exception>
    public void EnsureApart(string role, string path, IEnumerable<string?>? within = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var root = Resolve(layout.Root);
        var full = fileSystem.Path.GetFullPath(path);
        foreach (var candidate in new[] { full }.Concat((within ?? []).OfType<string>()))
        {
            var real = Resolve(candidate);
            var overlap = Compare(real, root);
            if (overlap == Overlap.None)
            {
                continue;
            }

            var relation = overlap switch
            {
                Overlap.Same => "the store itself",
                Overlap.Inside => "inside the store",
                _ => "a folder that holds the store",
            };
            var detail = string.Equals(candidate, real, StringComparison.Ordinal)
                ? $"{candidate} is {relation}"
                : $"{candidate} resolves to {real}, {relation}";
            throw new StorageInputException(
                $"{role} {full} overlaps the store {layout.Root}: {detail}; give a folder outside the store.");
        }
    }

    /// <summary>Whether <paramref name="path"/> resolves to the store, into it, or to a folder holding it.</summary>
    public bool Overlaps(string path) => Compare(Resolve(path), Resolve(layout.Root)) != Overlap.None;

    /// <summary>
    /// The absolute path with every symbolic link resolved, component by component (the part that does not exist
    /// is kept as written), like <c>realpath -m</c>.
    /// </summary>
    /// <exception cref="StorageInputException">The links loop.</exception>
    public string Resolve(string path)
    {
        var full = fileSystem.Path.GetFullPath(path);
        var current = fileSystem.Path.GetPathRoot(full)!;
        var pending = new LinkedList<string>(Split(full[current.Length..]));
        var hops = 0;
        while (pending.First is { } first)
        {
            pending.RemoveFirst();
            var part = first.Value;
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                // The current path has no links left, so its parent is the real parent.
                current = fileSystem.Path.GetDirectoryName(current) ?? current;
                continue;
            }

            var next = fileSystem.Path.Combine(current, part);
            if (ReadLink(next) is not { } target)
            {
                current = next;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                throw new StorageInputException($"{path} cannot be resolved: more than {MaxLinkHops} symbolic links (a loop?).");
            }

            // A relative target continues from the link's folder; its own parts may be links again.
            var targetRoot = fileSystem.Path.IsPathRooted(target) ? fileSystem.Path.GetPathRoot(target)! : null;
            current = targetRoot ?? current;
            var parts = Split(targetRoot is null ? target : target[targetRoot.Length..]);
            for (var i = parts.Length - 1; i >= 0; i--)
            {
                pending.AddFirst(parts[i]);
            }
        }

        return current;
    }

    private Overlap Compare(string real, string root)
    {
        if (string.Equals(real, root, StringComparison.Ordinal))
        {
            return Overlap.Same;
        }

        return IsUnder(real, root) ? Overlap.Inside : IsUnder(root, real) ? Overlap.Contains : Overlap.None;
    }

    private bool IsUnder(string child, string parent)
    {
        var prefix = fileSystem.Path.EndsInDirectorySeparator(parent) ? parent : parent + fileSystem.Path.DirectorySeparatorChar;
        return child.StartsWith(prefix, StringComparison.Ordinal);
    }

    private string[] Split(string path) =>
        path.Split([fileSystem.Path.DirectorySeparatorChar, fileSystem.Path.AltDirectorySeparatorChar], StringSplitOptions.RemoveEmptyEntries);

    private string? ReadLink(string path)
    {
        try
        {
            return fileSystem.FileInfo.New(path).LinkTarget;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
