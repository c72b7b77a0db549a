namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// What each command of the contract must answer in the state the model knows, and what an exit 0 must have done:
/// listed and selected days are archived whole (a stale archive is refreshed, not refused), prune succeeds on a
/// store without INVALID days, a restore that exits 0 put every archived file in place, an INVALID day makes
/// archive, verify and <c>status --check</c> exit 1 naming it, a verify that passed read every archive, and a
/// mutating command leaves no staging behind.
/// </summary>
internal static class LifecycleExpectations
{
    public static IReadOnlyList<string> Check(
        LifecycleStep step, StepOutcome outcome, StoreSnapshot before, StoreSnapshot after, LifecycleModel model, DateOnly firstDay, DateOnly today)
    {
        var problems = model.InvalidDays.Where(day => after.Archives.ContainsKey(day) && !before.Archives.ContainsKey(day))
            .Select(day => $"the INVALID day {day} was archived").ToList();
        if (outcome.Killed || outcome.Result is not { } result)
        {
            return problems;
        }

        var day = step.Day(firstDay);
        var invalid = model.InvalidDays.Order(StringComparer.Ordinal).ToList();
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

        void ExpectArchivedWhole(IEnumerable<string> days)
        {
            foreach (var archived in days.Where(archived => !model.InvalidDays.Contains(archived)))
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
                Expect(invalid.Count > 0 ? 1 : 0, invalid.Count > 0 ? "an INVALID day is live" : "every live day is valid");
                ExpectNamed(invalid);
                ExpectArchivedWhole(liveDays);
                break;
            case LifecycleOperation.ArchiveOlderThan:
                var selected = liveDays.Where(live => LifecycleModel.Age(live, today) > step.OlderThanDays).ToList();
                var selectedInvalid = invalid.Where(selected.Contains).ToList();
                Expect(selectedInvalid.Count > 0 ? 1 : 0, selectedInvalid.Count > 0 ? "an INVALID day is selected" : "every selected day is valid");
                ExpectNamed(selectedInvalid);
                ExpectArchivedWhole(selected);
                break;
            case LifecycleOperation.Prune:
                if (invalid.Count == 0)
                {
                    Expect(0, "every day is valid, so prune refreshes a stale archive instead of failing");
                }

                break;
            case LifecycleOperation.Restore or LifecycleOperation.RestoreForce:
                if (!before.Archives.TryGetValue(day, out var restored))
                {
                    Expect(2, "the day has no archive");
                    break;
                }

                var differing = restored.Files.Any(file => before.Live.TryGetValue(file.Key, out var live) && live != file.Value);
                Expect(step.Operation == LifecycleOperation.Restore && differing ? 1 : 0,
                    step.Operation == LifecycleOperation.RestoreForce ? "--force replaces what differs" : differing ? "a live file differs" : "nothing differs");
                if (result.ExitCode == 0)
                {
                    foreach (var (path, sha256) in restored.Files.Where(file => !after.Live.TryGetValue(file.Key, out var live) || live != file.Value))
                    {
                        problems.Add($"exit 0 but {path} is not live as archived ({sha256[..12]})");
                    }
                }

                break;
            case LifecycleOperation.Verify or LifecycleOperation.StatusCheck:
                if (invalid.Count > 0)
                {
                    Expect(1, "an INVALID day is live");
                    ExpectNamed(invalid);
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

        return problems;
    }
}
