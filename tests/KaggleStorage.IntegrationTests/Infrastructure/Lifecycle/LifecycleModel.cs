using System.Collections.Immutable;
using System.Globalization;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The model of the store's promise across commands and nights. Every version published by a download or an ETL
/// write must stay live or be held byte for byte by its day's archive until retention lets it go; an archive is
/// only ever replaced by one holding every file the old one held (a live file with other bytes wins); a day
/// whose manifest is INVALID is neither archived nor pruned.
/// </summary>
internal sealed class LifecycleModel
{
    private readonly Dictionary<string, PublishedFile> _files = new(StringComparer.Ordinal);
    private readonly HashSet<string> _invalidDays = new(StringComparer.Ordinal);

    public IReadOnlySet<string> InvalidDays => _invalidDays;

    public void Publish(string path, string sha256)
    {
        var history = _files.TryGetValue(path, out var known) ? known.History : ImmutableHashSet.Create<string>(StringComparer.Ordinal);
        _files[path] = new PublishedFile(sha256, Released: false, history.Add(sha256));
    }

    public void MarkInvalid(string day) => _invalidDays.Add(day);

    /// <summary>
    /// A prune under an archive window of <paramref name="archiveDays"/> may let go of every day older than that:
    /// its archive is deleted and its live copy may be. Returns those days. Taken loosely on purpose (the live
    /// days' own retention and keep-last are not modelled): the model only ever forgives more, never less.
    /// </summary>
    public IReadOnlySet<string> Release(int archiveDays, DateOnly today)
    {
        var released = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, file) in _files.ToList())
        {
            var day = StoreSnapshot.DayOf(path);
            if (!_invalidDays.Contains(day) && Age(day, today) > archiveDays)
            {
                released.Add(day);
                _files[path] = file with { Released = true };
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

    private static string Short(string? sha256) => sha256 is null ? "none" : sha256[..12];
}
