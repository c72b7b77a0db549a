namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// Generates the steps of a run from its seed alone (never from what the store did), so the same seed replays the
/// same steps and a larger step count extends the same script.
/// </summary>
internal static class LifecycleScript
{
    /// <summary>Raw days are between 0 and this many days before the run's first day.</summary>
    public const int OldestDayAge = 45;

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
        var free = Enumerable.Range(0, OldestDayAge + 1).ToList();
        var valid = new List<int>();
        var downloaded = new List<int>();
        var script = new List<LifecycleStep>();
        for (var number = 1; number <= steps; number++)
        {
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
            script.Add(step with { KillAfterMilliseconds = kill, ContentSeed = step.ContentSeed == 0 ? random.Next() : step.ContentSeed });
        }

        return script;
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
