using System.Globalization;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// One generated step. Days are ages (days before the run's first day) so a script is a pure function of its
/// seed and can be replayed on any date; <see cref="KillAfterMilliseconds"/> set means the command is SIGKILLed
/// that long after it takes the store lock. <see cref="ThroughTool"/> makes a download go through the tool's
/// <c>download</c> from the fake Kaggle; <see cref="NonUtf8Name"/> adds a file whose name is not UTF-8 (an index
/// into <see cref="DayWriter.NonUtf8Names"/>) to an ETL or legacy write.
/// </summary>
internal sealed record LifecycleStep(
    int Number,
    LifecycleOperation Operation,
    int DayAge = 0,
    int ContentSeed = 0,
    int OlderThanDays = 0,
    RetentionSettings? Retention = null,
    int? KillAfterMilliseconds = null,
    bool ThroughTool = false,
    int? NonUtf8Name = null)
{
    public bool IsToolCommand => Operation switch
    {
        LifecycleOperation.Download => ThroughTool,
        LifecycleOperation.InvalidDownload or LifecycleOperation.EtlWrite or LifecycleOperation.LegacyWrite or LifecycleOperation.FixNames => false,
        _ => true,
    };

    public bool IsMigrate => Operation is LifecycleOperation.Migrate or LifecycleOperation.MigrateDeleteSource;

    public bool IsMutatingCommand => IsToolCommand && Operation is not (LifecycleOperation.Verify or LifecycleOperation.StatusCheck);

    public string Describe(DateOnly firstDay)
    {
        var day = Day(firstDay);
        var odd = NonUtf8Name is { } index ? $" with {DayWriter.Shown(index)}" : string.Empty;
        var text = Operation switch
        {
            LifecycleOperation.Download when ThroughTool => $"kaggle-storage {string.Join(' ', ToolArguments(firstDay))} (fake Kaggle, content seed {ContentSeed})",
            LifecycleOperation.Download => $"download {day} (content seed {ContentSeed})",
            LifecycleOperation.InvalidDownload => $"download {day} with an INVALID manifest (content seed {ContentSeed})",
            LifecycleOperation.EtlWrite => $"etl write processed/{day}{odd} (content seed {ContentSeed})",
            LifecycleOperation.LegacyWrite => $"legacy script writes kaggle_raw/{day}{odd} (content seed {ContentSeed})",
            LifecycleOperation.FixNames => "operator renames every name that is not UTF-8 to UTF-8",
            _ => "kaggle-storage " + string.Join(' ', ToolArguments(firstDay)) + (Retention is null ? string.Empty : $" [{Retention}]"),
        };
        return $"#{Number:D2} {text}{(KillAfterMilliseconds is { } ms ? $" — SIGKILL {ms} ms after it takes the lock" : string.Empty)}";
    }

    public string Day(DateOnly firstDay) =>
        firstDay.AddDays(-DayAge).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public IReadOnlyList<string> ToolArguments(DateOnly firstDay, string legacy = "<legacy data folder>") => Operation switch
    {
        LifecycleOperation.Download when ThroughTool => ["download", "--date", Day(firstDay)],
        LifecycleOperation.Migrate => ["migrate", "--from", legacy],
        LifecycleOperation.MigrateDeleteSource => ["migrate", "--from", legacy, "--delete-source"],
        LifecycleOperation.Archive => ["archive", Day(firstDay)],
        LifecycleOperation.ArchiveForce => ["archive", Day(firstDay), "--force"],
        LifecycleOperation.ArchiveOlderThan => ["archive", "--older-than", OlderThanDays.ToString(CultureInfo.InvariantCulture)],
        LifecycleOperation.ArchiveAll => ["archive", "--all"],
        LifecycleOperation.Prune => ["prune"],
        LifecycleOperation.Restore => ["restore", Day(firstDay)],
        LifecycleOperation.RestoreForce => ["restore", Day(firstDay), "--force"],
        LifecycleOperation.Verify => ["verify"],
        LifecycleOperation.StatusCheck => ["status", "--check"],
        _ => throw new InvalidOperationException($"{Operation} is not a command of the tool."),
    };
}
