namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// What each command of the contract must answer in the state the model knows, and what an exit 0 must have done:
/// listed and selected days are archived whole (a stale archive is refreshed, not refused), prune succeeds on a
/// store without INVALID days, a restore that exits 0 put every archived file in place, an INVALID day makes
/// archive, verify and <c>status --check</c> exit 1 naming it, a verify that passed read every archive, and a
/// mutating command leaves no staging or trash behind. A live file whose name is not UTF-8 is its day's problem:
/// the day is never archived (archive exits 1 naming the file with its bytes escaped), verify and
/// <c>status --check</c> exit 1 naming it, and prune cannot succeed on it. A migration that exits 0 put every legacy
/// day into raw/ byte for byte (and with <c>--delete-source</c> removed it from the legacy folder); one with a day in
/// conflict or holding a name that is not UTF-8 exits 1. A download through the tool to a new day exits 0 and
/// publishes it.
/// </summary>
internal static class LifecycleExpectations
{
    public static IReadOnlyList<string> Check(
        LifecycleStep step, StepOutcome outcome, StoreSnapshot before, StoreSnapshot after, LifecycleModel model, DateOnly firstDay, DateOnly today,
        LegacySnapshot legacyBefore, LegacySnapshot legacyAfter)
    {
        var nonUtf8Days = before.NonUtf8Days;
        var problems = model.InvalidDays.Where(day => after.Archives.ContainsKey(day) && !before.Archives.ContainsKey(day))
            .Select(day => $"the INVALID day {day} was archived").ToList();
        problems.AddRange(nonUtf8Days.Where(day => after.Archives.TryGetValue(day, out var now)
                && (!before.Archives.TryGetValue(day, out var old) || !now.Files.SequenceEqual(old.Files)))
            .Select(day => $"the day {day}, holding a name that is not UTF-8 ({string.Join(", ", before.NonUtf8NamesOf(day))}), was archived"));
        if (outcome.Killed || outcome.Result is not { } result)
        {
            return problems;
        }

        var day = step.Day(firstDay);
        var invalid = model.InvalidDays.Order(StringComparer.Ordinal).ToList();
        var contested = model.ContestedDays;
        var output = result.StdOut + result.StdErr;
        void Expect(int exitCode, string why)
        {
            if (result.ExitCode != exitCode)
            {
                problems.Add($"exited {result.ExitCode}, expected {exitCode} ({why})");
            }
        }

        void ExpectNamed(IEnumerable<string> days)
        {
            foreach (var named in days.Where(named => !output.Contains(named, StringComparison.Ordinal)))
            {
                problems.Add($"did not name the INVALID day {named}");
            }
        }

        void ExpectNonUtf8Named(IEnumerable<string> days)
        {
            foreach (var name in days.SelectMany(before.NonUtf8NamesOf).Distinct(StringComparer.Ordinal)
                .Where(name => !output.Contains(name, StringComparison.Ordinal)))
            {
                problems.Add($"did not name {name}, whose name is not UTF-8, with its bytes escaped");
            }
        }

        void ExpectArchivedWhole(IEnumerable<string> days)
        {
            foreach (var archived in days.Where(archived => !model.InvalidDays.Contains(archived) && !nonUtf8Days.Contains(archived) && !contested.Contains(archived)))
            {
                after.Archives.TryGetValue(archived, out var archive);
                foreach (var (path, sha256) in after.LiveFilesOf(archived).Where(file => archive?.Holds(file.Key, file.Value) != true))
                {
                    problems.Add($"archive/{archived}.tar.gz does not hold the live {path} {sha256[..12]}" +
                        (archive is null ? " (no archive)" : string.Empty));
                }
            }
        }

        if (result.ExitCode is < 0 or > 2)
        {
            problems.Add($"exited {result.ExitCode}, which the contract does not have");
        }

        var liveDays = after.Live.Keys.Select(StoreSnapshot.DayOf).ToHashSet(StringComparer.Ordinal);
        switch (step.Operation)
        {
            case LifecycleOperation.Archive or LifecycleOperation.ArchiveForce:
                if (model.InvalidDays.Contains(day))
                {
                    Expect(1, $"{day} has an INVALID manifest");
                    ExpectNamed([day]);
                }
                else if (nonUtf8Days.Contains(day))
                {
                    Expect(1, $"{day} holds a name that is not UTF-8");
                    ExpectNonUtf8Named([day]);
                }
                else if (before.LiveFilesOf(day).Any())
                {
                    if (step.Operation == LifecycleOperation.ArchiveForce || !before.Archives.ContainsKey(day))
                    {
                        Expect(0, "the day is live and valid");
                    }

                    if (result.ExitCode == 0)
                    {
                        ExpectArchivedWhole([day]);
                    }
                }

                break;
            case LifecycleOperation.ArchiveAll:
                if (invalid.Count > 0 || nonUtf8Days.Count > 0)
                {
                    Expect(1, "an INVALID day, or one holding a name that is not UTF-8, is live");
                }
                else if (!contested.Any(liveDays.Contains))
                {
                    Expect(0, "every live day is valid");
                }

                ExpectNamed(invalid);
                ExpectNonUtf8Named(nonUtf8Days);
                ExpectArchivedWhole(liveDays);
                break;
            case LifecycleOperation.ArchiveOlderThan:
                var selected = liveDays.Where(live => LifecycleModel.Age(live, today) > step.OlderThanDays).ToList();
                var selectedInvalid = invalid.Where(selected.Contains).ToList();
                var selectedNonUtf8 = nonUtf8Days.Where(selected.Contains).ToList();
                if (selectedInvalid.Count > 0 || selectedNonUtf8.Count > 0)
                {
                    Expect(1, "an INVALID day, or one holding a name that is not UTF-8, is selected");
                }
                else if (!contested.Any(selected.Contains))
                {
                    Expect(0, "every selected day is valid");
                }

                ExpectNamed(selectedInvalid);
                ExpectNonUtf8Named(selectedNonUtf8);
                ExpectArchivedWhole(selected);
                break;
            case LifecycleOperation.Prune:
                if (invalid.Count == 0 && nonUtf8Days.Count == 0 && contested.Count == 0)
                {
                    Expect(0, "every day is valid, so prune refreshes a stale archive instead of failing");
                }

                break;
            case LifecycleOperation.Migrate or LifecycleOperation.MigrateDeleteSource:
                CheckMigrate(step, result, before, after, legacyBefore, legacyAfter, Expect, problems);
                break;
            case LifecycleOperation.Download:
                Expect(0, "a new day from the fake Kaggle");
                if (result.ExitCode == 0 && !after.LiveFilesOf(day).Any(file => file.Key.StartsWith("raw/", StringComparison.Ordinal)))
                {
                    problems.Add($"exit 0 but raw/{day} is not there");
                }

                break;
            case LifecycleOperation.Restore or LifecycleOperation.RestoreForce:
                if (!before.Archives.TryGetValue(day, out var restored))
                {
                    Expect(2, "the day has no archive");
                    break;
                }

                // A replace killed between its archive and its index leaves them disagreeing until the next archive of
                // the day (docs/archive.md): restore then refuses rather than trust either, which is its right.
                var differing = restored.Files.Any(file => before.Live.TryGetValue(file.Key, out var live) && live != file.Value);
                if (!before.PendingIndexes.Contains(day))
                {
                    Expect(step.Operation == LifecycleOperation.Restore && differing ? 1 : 0,
                        step.Operation == LifecycleOperation.RestoreForce ? "--force replaces what differs" : differing ? "a live file differs" : "nothing differs");
                }
                if (result.ExitCode == 0)
                {
                    foreach (var (path, sha256) in restored.Files.Where(file => !after.Live.TryGetValue(file.Key, out var live) || live != file.Value))
                    {
                        problems.Add($"exit 0 but {path} is not live as archived ({sha256[..12]})");
                    }
                }

                break;
            case LifecycleOperation.Verify or LifecycleOperation.StatusCheck:
                // verify reads raw days against their manifest and processed days only against an archive (docs/archive.md),
                // so it sees a processed name that is not UTF-8 only in a day that has an archive; status --check sees all.
                var seen = step.Operation == LifecycleOperation.StatusCheck
                    ? nonUtf8Days
                    : before.NonUtf8.Where(path => path.StartsWith("raw/", StringComparison.Ordinal) || before.Archives.ContainsKey(StoreSnapshot.DayOf(path)))
                        .Select(StoreSnapshot.DayOf).ToHashSet(StringComparer.Ordinal);
                if (invalid.Count > 0 || seen.Count > 0)
                {
                    Expect(1, "an INVALID day, or one holding a name that is not UTF-8, is live");
                    ExpectNamed(invalid);
                    ExpectNonUtf8Named(seen);
                }

                // Never lie: a verification that passed has read every archive, so each must read here too.
                if (step.Operation == LifecycleOperation.Verify && result.ExitCode == 0)
                {
                    problems.AddRange(after.Archives.Where(archive => archive.Value.Damage is not null)
                        .Select(archive => $"exit 0 but archive/{archive.Key}.tar.gz does not read: {archive.Value.Damage}"));
                }

                break;
        }

        // Exit 2 is refused input: the command never took the lock, so it had nothing to clean.
        if (step.IsMutatingCommand && result.ExitCode != 2 && after.Staging.Count > 0)
        {
            problems.Add($"left in staging: {string.Join(", ", after.Staging)}");
        }

        if (step.IsMutatingCommand && result.ExitCode != 2 && after.Trash.Count > 0)
        {
            problems.Add($"left in the trash: {string.Join(", ", after.Trash)}");
        }

        return problems;
    }

    /// <summary>
    /// A migration exits 1 when a legacy day is in conflict with raw/ (other bytes under a name) or holds a name that
    /// is not UTF-8 (named, escaped), else 0; with 0, every legacy day is live in raw/ byte for byte, and with
    /// <c>--delete-source</c> gone from the legacy folder.
    /// </summary>
    private static void CheckMigrate(
        LifecycleStep step, ToolResult result, StoreSnapshot before, StoreSnapshot after, LegacySnapshot legacyBefore, LegacySnapshot legacyAfter,
        Action<int, string> expect, List<string> problems)
    {
        var output = result.StdOut + result.StdErr;
        var refused = legacyBefore.NonUtf8.Select(LegacySnapshot.DayOf).ToHashSet(StringComparer.Ordinal);
        var conflicts = legacyBefore.Days.Where(legacyDay =>
                before.LiveFilesOf(legacyDay).Any(file => file.Key.StartsWith("raw/", StringComparison.Ordinal))
                && legacyBefore.FilesOf(legacyDay).Any(file => !before.Live.TryGetValue(LegacySnapshot.StorePath(file.Key), out var live) || live != file.Value))
            .ToList();
        if (!legacyBefore.Exists)
        {
            expect(2, "there is no legacy kaggle_raw folder");
            return;
        }

        expect(refused.Count > 0 || conflicts.Count > 0 ? 1 : 0,
            refused.Count > 0 ? $"{string.Join(", ", refused)} holds a name that is not UTF-8"
                : conflicts.Count > 0 ? $"{string.Join(", ", conflicts)} is in raw/ with other bytes" : "every legacy day is new or identical");
        foreach (var name in legacyBefore.NonUtf8.Select(path => path[(path.LastIndexOf('/') + 1)..]).Where(name => !output.Contains(name, StringComparison.Ordinal)))
        {
            problems.Add($"did not name the legacy {name}, whose name is not UTF-8, with its bytes escaped");
        }

        if (result.ExitCode != 0)
        {
            return;
        }

        foreach (var (path, sha256) in legacyBefore.Files)
        {
            if (!after.Live.TryGetValue(LegacySnapshot.StorePath(path), out var live) || live != sha256)
            {
                problems.Add($"exit 0 but legacy {path} is not live in the store as it was ({sha256[..12]})");
            }

            if (step.Operation == LifecycleOperation.MigrateDeleteSource && legacyAfter.Files.ContainsKey(path))
            {
                problems.Add($"exit 0 with --delete-source but legacy {path} is still there");
            }
        }
    }
}
