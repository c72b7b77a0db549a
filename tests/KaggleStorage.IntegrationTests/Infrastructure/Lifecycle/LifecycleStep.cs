using System.Globalization;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// One generated step. Days are ages (days before the run's first day) so a script is a pure function of its
/// seed and can be replayed on any date; <see cref="KillAfterMilliseconds"/> set means the command is SIGKILLed
/// that long after it takes the store lock.
/// </summary>
internal sealed record LifecycleStep(
    int Number,
    LifecycleOperation Operation,
    int DayAge = 0,
    int ContentSeed = 0,
    int OlderThanDays = 0,
    RetentionSettings? Retention = null,
    int? KillAfterMilliseconds = null)
{
    public bool IsToolCommand => Operation is not (LifecycleOperation.Download or LifecycleOperation.InvalidDownload or LifecycleOperation.EtlWrite);

    public bool IsMutatingCommand => IsToolCommand && Operation is not (LifecycleOperation.Verify or LifecycleOperation.StatusCheck);

    public string Describe(DateOnly firstDay)
    {
        var day = Day(firstDay);
        var text = Operation switch
        {
            LifecycleOperation.Download => $"download {day} (content seed {ContentSeed})",
            LifecycleOperation.InvalidDownload => $"download {day} with an INVALID manifest (content seed {ContentSeed})",
            LifecycleOperation.EtlWrite => $"etl write processed/{day} (content seed {ContentSeed})",
            _ => "kaggle-storage " + string.Join(' ', ToolArguments(firstDay)) + (Retention is null ? string.Empty : $" [{Retention}]"),
        };
        return $"#{Number:D2} {text}{(KillAfterMilliseconds is { } ms ? $" — SIGKILL {ms} ms after it takes the lock" : string.Empty)}";
    }

    public string Day(DateOnly firstDay) =>
        firstDay.AddDays(-DayAge).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    public IReadOnlyList<string> ToolArguments(DateOnly firstDay) => Operation switch
    {
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
