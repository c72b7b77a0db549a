namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// Generates the steps of a run from its seed alone (never from what the store did), so the same seed replays the
/// same steps and a larger step count extends the same script. The steps added later (legacy writes, migrate,
/// downloads through the tool, names that are not UTF-8) come from a second stream of the seed, so the first one
/// still yields the steps it always did, in the same order, between them.
/// </summary>
internal static class LifecycleScript
{
    /// <summary>Raw days are between 0 and this many days before the run's first day.</summary>
    public const int OldestDayAge = 45;

    /// <summary>Days the legacy script wrote and the store never had are older than the store's (it ran before the switchover).</summary>
    public const int OldestLegacyDayAge = 75;

    /// <summary>Percent of steps that are legacy writes, migrations or an operator's renames.</summary>
    private const int LegacyStepPercent = 10;

    /// <summary>One download in this many goes through the tool; one ETL write in this many adds a name that is not UTF-8.</summary>
    private const int ThroughToolOneIn = 4;

    private const int NonUtf8OneIn = 10;

    private static readonly (LifecycleOperation Operation, int Weight)[] Weights =
    [
        (LifecycleOperation.Download, 14),
        (LifecycleOperation.InvalidDownload, 2),
        (LifecycleOperation.EtlWrite, 18),
        (LifecycleOperation.Archive, 7),
        (LifecycleOperation.ArchiveForce, 9),
        (LifecycleOperation.ArchiveOlderThan, 5),
        (LifecycleOperation.ArchiveAll, 5),
        (LifecycleOperation.Prune, 14),
        (LifecycleOperation.Restore, 5),
        (LifecycleOperation.RestoreForce, 4),
        (LifecycleOperation.Verify, 3),
        (LifecycleOperation.StatusCheck, 3),
    ];

    private static readonly LifecycleOperation[] Killable =
    [
        LifecycleOperation.ArchiveAll, LifecycleOperation.ArchiveForce, LifecycleOperation.Prune, LifecycleOperation.RestoreForce,
    ];

    public static IReadOnlyList<LifecycleStep> Generate(int seed, int steps)
    {
        var random = new Random(seed);
        var later = new Random(unchecked((seed * 31) + 0x5EED));
        var free = Enumerable.Range(0, OldestDayAge + 1).ToList();
        var valid = new List<int>();
        var downloaded = new List<int>();
        var legacyFree = Enumerable.Range(OldestDayAge + 1, OldestLegacyDayAge - OldestDayAge).ToList();
        var legacyDays = new HashSet<int>();
        var nonUtf8Written = false;
        var script = new List<LifecycleStep>();
        for (var number = 1; number <= steps; number++)
        {
            if (later.Next(100) < LegacyStepPercent)
            {
                var legacy = NewLegacyStep(number, later, legacyFree, legacyDays, downloaded, nonUtf8Written);
                nonUtf8Written |= legacy.NonUtf8Name is not null;
                script.Add(legacy);
                continue;
            }

            var operation = Pick(random);
            if (downloaded.Count == 0 || (operation == LifecycleOperation.EtlWrite && valid.Count == 0))
            {
                operation = LifecycleOperation.Download;
            }

            if (free.Count == 0 && operation is LifecycleOperation.Download or LifecycleOperation.InvalidDownload)
            {
                operation = LifecycleOperation.EtlWrite;
            }

            // One mutating command in eight is killed: the store must stay whole and the next command repairs it.
            int? kill = null;
            if (random.Next(8) == 0 && downloaded.Count > 0)
            {
                operation = Killable[random.Next(Killable.Length)];
                kill = random.Next(0, 300);
            }

            var step = operation switch
            {
                LifecycleOperation.Download or LifecycleOperation.InvalidDownload => NewDay(number, operation, random, free, downloaded, valid),
                LifecycleOperation.EtlWrite => new LifecycleStep(number, operation, valid[random.Next(valid.Count)], random.Next()),
                LifecycleOperation.Archive or LifecycleOperation.ArchiveForce or LifecycleOperation.Restore or LifecycleOperation.RestoreForce =>
                    new LifecycleStep(number, operation, downloaded[random.Next(downloaded.Count)]),
                LifecycleOperation.ArchiveOlderThan => new LifecycleStep(number, operation, OlderThanDays: random.Next(0, 31)),
                LifecycleOperation.Prune => new LifecycleStep(number, operation, Retention: PickRetention(random)),
                _ => new LifecycleStep(number, operation),
            };
            step = step with { KillAfterMilliseconds = kill, ContentSeed = step.ContentSeed == 0 ? random.Next() : step.ContentSeed };
            if (step.Operation == LifecycleOperation.Download && later.Next(ThroughToolOneIn) == 0)
            {
                step = step with { ThroughTool = true };
            }
            else if (step.Operation == LifecycleOperation.EtlWrite && later.Next(NonUtf8OneIn) == 0)
            {
                step = step with { NonUtf8Name = later.Next(DayWriter.NonUtf8Names.Count) };
                nonUtf8Written = true;
            }

            script.Add(step);
        }

        return script;
    }

    /// <summary>
    /// A legacy write (a day the store never had, or now and then one it has, with other bytes), a migration with
    /// or without <c>--delete-source</c> (one in five killed), or, once a name that is not UTF-8 was written, an
    /// operator renaming it.
    /// </summary>
    private static LifecycleStep NewLegacyStep(
        int number, Random random, List<int> legacyFree, HashSet<int> legacyDays, List<int> downloaded, bool nonUtf8Written)
    {
        var roll = random.Next(10);
        if (legacyDays.Count == 0 || roll < 4)
        {
            var clashing = downloaded.Where(age => !legacyDays.Contains(age)).ToList();
            int age;
            if (clashing.Count > 0 && random.Next(4) == 0)
            {
                age = clashing[random.Next(clashing.Count)];
            }
            else if (legacyFree.Count > 0)
            {
                age = legacyFree[random.Next(legacyFree.Count)];
                legacyFree.Remove(age);
            }
            else
            {
                return new LifecycleStep(number, LifecycleOperation.Migrate);
            }

            legacyDays.Add(age);
            var odd = random.Next(8) == 0 ? random.Next(DayWriter.NonUtf8Names.Count) : (int?)null;
            return new LifecycleStep(number, LifecycleOperation.LegacyWrite, age, random.Next(), NonUtf8Name: odd);
        }

        if (roll == 9 && nonUtf8Written)
        {
            return new LifecycleStep(number, LifecycleOperation.FixNames);
        }

        var operation = roll < 7 ? LifecycleOperation.Migrate : LifecycleOperation.MigrateDeleteSource;
        return new LifecycleStep(number, operation, KillAfterMilliseconds: random.Next(5) == 0 ? random.Next(0, 300) : null);
    }

    private static LifecycleStep NewDay(
        int number, LifecycleOperation operation, Random random, List<int> free, List<int> downloaded, List<int> valid)
    {
        var age = free[random.Next(free.Count)];
        free.Remove(age);
        downloaded.Add(age);
        if (operation == LifecycleOperation.Download)
        {
            valid.Add(age);
        }

        return new LifecycleStep(number, operation, age, random.Next());
    }

    private static LifecycleOperation Pick(Random random)
    {
        var roll = random.Next(Weights.Sum(weight => weight.Weight));
        foreach (var (operation, weight) in Weights)
        {
            if ((roll -= weight) < 0)
            {
                return operation;
            }
        }

        throw new InvalidOperationException("The weights do not add up.");
    }

    /// <summary>
    /// Processed days often outlive raw ones (the state in which a raw day is pruned beside a kept processed day),
    /// and now and then the archive window is shorter than the days, so retention really lets bytes go.
    /// </summary>
    private static RetentionSettings PickRetention(Random random)
    {
        var raw = random.Next(0, 31);
        var processed = random.Next(2) == 0 ? random.Next(raw, OldestDayAge + 1) : random.Next(0, 31);
        var archive = random.Next(7) == 0 ? random.Next(0, 31) : random.Next(OldestDayAge, 400);
        int[] keepLast = [0, 0, 0, 1, 2, 7];
        return new RetentionSettings(raw, processed, archive, keepLast[random.Next(keepLast.Length)]);
    }
}
