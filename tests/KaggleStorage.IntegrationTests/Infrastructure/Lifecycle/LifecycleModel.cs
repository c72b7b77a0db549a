using System.Collections.Immutable;
using System.Globalization;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The model of the store's promise across commands and nights. Every version published by a download or an ETL
/// write must stay live or be held byte for byte by its day's archive until retention lets it go; an archive is
/// only ever replaced by one holding every file the old one held (a live file with other bytes wins); a day
/// whose manifest is INVALID is neither archived nor pruned. A file whose name is not UTF-8 can never be archived,
/// so retention never lets it (or the rest of its day's folder) go. Files of the legacy folder must stay there
/// byte for byte until a <c>migrate --delete-source</c> removes them, and then only once the store holds each one
/// live, byte-identical.
/// </summary>
internal sealed class LifecycleModel
{
    private readonly Dictionary<string, PublishedFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _invalidDays = new(StringComparer.Ordinal);
    private readonly HashSet<string> _contestedDays = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _legacy = new(StringComparer.Ordinal);

    public IReadOnlySet<string> InvalidDays => _invalidDays;

    /// <summary>
    /// Days that migrate published into raw/ again while their archive holds other bytes under the same paths
    /// (the store had pruned raw/D; the legacy folder had its own D). Whether the live or the archived file wins
    /// depends on which is newer, so archive and prune may refuse such a day (exit 1) until an archive holds what
    /// is live; the bytes must not be lost either way.
    /// </summary>
    public IReadOnlySet<string> ContestedDays => _contestedDays;

    /// <summary>Every file of the legacy folder the model knows (<c>kaggle_raw/D/name</c> → SHA-256).</summary>
    public IReadOnlyDictionary<string, string> Legacy => _legacy;

    public void WriteLegacy(string path, string sha256) => _legacy[path] = sha256;

    /// <summary>An operator renamed a file (a name that is not UTF-8 to UTF-8): its bytes live on under the new name only.</summary>
    public void Rename(string from, string to)
    {
        if (from.StartsWith("kaggle_raw/", StringComparison.Ordinal))
        {
            if (_legacy.Remove(from, out var legacy))
            {
                _legacy[to] = legacy;
            }
        }
        else if (_files.Remove(from, out var file))
        {
            Publish(to, file.Latest);
        }
    }

    /// <summary>
    /// A step made raw/<paramref name="day"/> appear (migrate, or download through the tool): the day must hold
    /// exactly <paramref name="expected"/> (name → SHA-256) and its download manifest, whole. What it holds is
    /// published; the problems say where it is not what its source was.
    /// </summary>
    public IReadOnlyList<string> AcceptNewRawDay(
        string day, IReadOnlyDictionary<string, string> expected, StoreSnapshot before, StoreSnapshot after)
    {
        var prefix = $"raw/{day}/";
        var problems = new List<string>();
        if (before.Live.Keys.Any(path => path.StartsWith(prefix, StringComparison.Ordinal)))
        {
            return problems;
        }

        var published = after.Live.Where(file => file.Key.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        if (published.Count == 0)
        {
            return problems;
        }

        foreach (var (name, sha256) in expected)
        {
            if (!after.Live.TryGetValue(prefix + name, out var live) || live != sha256)
            {
                problems.Add($"raw/{day} was published without {name} as its source held it ({Short(sha256)}; live: {Short(live)})");
            }
        }

        if (!after.Live.ContainsKey(prefix + "download_manifest.json"))
        {
            problems.Add($"raw/{day} was published without its download_manifest.json");
        }

        after.Archives.TryGetValue(day, out var archive);
        foreach (var (path, sha256) in published)
        {
            var name = path[prefix.Length..];
            if (name != "download_manifest.json" && !expected.ContainsKey(name))
            {
                problems.Add($"raw/{day} holds {name}, which its source did not have");
            }

            if (archive?.Files.TryGetValue(path, out var archived) == true && archived != sha256)
            {
                _contestedDays.Add(day);
            }

            Publish(path, sha256);
        }

        return problems;
    }

    /// <summary>A contested day is settled once no live file of it differs from its archived copy.</summary>
    public void Settle(StoreSnapshot after)
    {
        _contestedDays.RemoveWhere(day => !after.LiveFilesOf(day).Any(file =>
            after.Archives.TryGetValue(day, out var archive) && archive.Files.TryGetValue(file.Key, out var archived) && archived != file.Value));
    }

    /// <summary>
    /// The legacy folder after a step: a file may leave it only through <c>migrate --delete-source</c>, and only when
    /// the store now holds it live, byte-identical; it never changes in place. What left is forgotten (the store's
    /// copy is the model's from then on).
    /// </summary>
    public IReadOnlyList<string> FindLegacyLosses(LegacySnapshot after, StoreSnapshot store, LifecycleStep step)
    {
        var losses = new List<string>();
        foreach (var (path, sha256) in _legacy.OrderBy(file => file.Key, StringComparer.Ordinal).ToList())
        {
            if (after.Files.TryGetValue(path, out var now))
            {
                if (now != sha256)
                {
                    losses.Add($"legacy {path} changed in place ({Short(sha256)} → {Short(now)})");
                }

                continue;
            }

            store.Live.TryGetValue(LegacySnapshot.StorePath(path), out var live);
            if (step.Operation != LifecycleOperation.MigrateDeleteSource)
            {
                losses.Add($"legacy {path} {Short(sha256)} vanished in a step that may not delete it (store: {Short(live)})");
            }
            else if (live != sha256)
            {
                losses.Add($"LOST legacy {path} {Short(sha256)}: --delete-source deleted it but the store does not hold it live, byte-identical (live: {Short(live)})");
            }

            _legacy.Remove(path);
        }

        return losses;
    }

    public void Publish(string path, string sha256)
    {
        var history = _files.TryGetValue(path, out var known) ? known.History : ImmutableHashSet.Create<string>(StringComparer.Ordinal);
        _files[path] = new PublishedFile(sha256, Released: false, history.Add(sha256));
    }

    public void MarkInvalid(string day) => _invalidDays.Add(day);

    /// <summary>
    /// A prune under an archive window of <paramref name="archiveDays"/> may let go of every day older than that:
    /// its archive is deleted and its live copy may be. Returns those days. Taken loosely on purpose (the live
    /// days' own retention and keep-last are not modelled): the model only ever forgives more, never less. A day
    /// folder that held a name that is not UTF-8 when prune began (<paramref name="before"/>) is never let go:
    /// nothing can archive that file, so prune keeps the folder whole.
    /// </summary>
    public IReadOnlySet<string> Release(int archiveDays, DateOnly today, StoreSnapshot before)
    {
        var released = new HashSet<string>(StringComparer.Ordinal);
        var keptWhole = before.NonUtf8.Select(Folder).ToHashSet(StringComparer.Ordinal);
        foreach (var (path, file) in _files.ToList())
        {
            var day = StoreSnapshot.DayOf(path);
            if (!_invalidDays.Contains(day) && Age(day, today) > archiveDays)
            {
                // The archive may go (it cannot hold the unreadable name anyway); the kept folder's files may not.
                released.Add(day);
                if (!keptWhole.Contains(Folder(path)))
                {
                    _files[path] = file with { Released = true };
                }
            }
        }

        return released;
    }

    /// <summary>A forced restore puts the archive's version back: for each path it did replace, that one is now the latest.</summary>
    public void AcceptRestored(ArchiveSnapshot archive, StoreSnapshot after)
    {
        foreach (var (path, sha256) in archive.Files)
        {
            if (_files.TryGetValue(path, out var known) && after.Live.TryGetValue(path, out var live) && live == sha256)
            {
                _files[path] = known with { Latest = sha256 };
            }
        }
    }

    public static int Age(string day, DateOnly today) =>
        today.DayNumber - DateOnly.ParseExact(day, "yyyyMMdd", CultureInfo.InvariantCulture).DayNumber;

    /// <summary>Bytes the step lost or an archive it made worse: what must never happen, whatever the exit code.</summary>
    public IReadOnlyList<string> FindLosses(StoreSnapshot before, StoreSnapshot after, IReadOnlySet<string> releasedThisStep)
    {
        var losses = new List<string>();
        foreach (var (path, file) in _files.OrderBy(file => file.Key, StringComparer.Ordinal))
        {
            var day = StoreSnapshot.DayOf(path);
            after.Live.TryGetValue(path, out var live);
            after.Archives.TryGetValue(day, out var archive);
            if (_invalidDays.Contains(day))
            {
                if (live != file.Latest)
                {
                    losses.Add($"{path} of the INVALID day {day} is no longer live (live: {Short(live)}, expected {Short(file.Latest)}); such a day must not be pruned");
                }
            }
            else if (!file.Released && live != file.Latest && archive?.Holds(path, file.Latest) != true)
            {
                var held = archive is null ? "no archive" : archive.Damage ?? (archive.Files.TryGetValue(path, out var other) ? $"archive holds {Short(other)}" : "archive lacks it");
                losses.Add($"LOST {path} {Short(file.Latest)}: not live (live: {Short(live)}) and {held}");
            }
        }

        foreach (var (path, sha256) in after.Live)
        {
            if (!_files.TryGetValue(path, out var known) || !known.History.Contains(sha256))
            {
                losses.Add($"live {path} holds bytes never published there ({Short(sha256)})");
            }
        }

        foreach (var (day, old) in before.Archives.Where(archive => archive.Value.Damage is null))
        {
            if (!after.Archives.TryGetValue(day, out var now))
            {
                if (!releasedThisStep.Contains(day))
                {
                    losses.Add($"archive/{day}.tar.gz was deleted although retention keeps it");
                }

                continue;
            }

            if (now.Damage is not null)
            {
                losses.Add($"archive/{day}.tar.gz no longer reads: {now.Damage}");
                continue;
            }

            foreach (var (path, sha256) in old.Files)
            {
                if (!now.Files.TryGetValue(path, out var kept))
                {
                    losses.Add($"archive/{day}.tar.gz was replaced by one without {path} (the old one held {Short(sha256)})");
                }
                // The new copy must be the live file as it was before the step or is now: prune refreshes a stale
                // archive with the live bytes and then deletes them.
                else if (kept != sha256
                    && (!before.Live.TryGetValue(path, out var was) || was != kept)
                    && (!after.Live.TryGetValue(path, out var live) || live != kept))
                {
                    losses.Add($"archive/{day}.tar.gz now holds {path} as {Short(kept)}, neither the old {Short(sha256)} nor the live bytes");
                }
            }
        }

        return losses;
    }

    /// <summary>The area's day folder of a path: <c>processed/20241026/parts/x.csv</c> → <c>processed/20241026</c>.</summary>
    private static string Folder(string path) => string.Join('/', path.Split('/').Take(2));

    private static string Short(string? sha256) => sha256 is null ? "none" : sha256[..12];
}
