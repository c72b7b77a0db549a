using Microsoft.Extensions.Options;

namespace KaggleStorage.Layout;

/// <summary>
/// "Today" as the store counts days: the date in <see cref="KaggleStorageOptions.TimeZone"/> at the current
/// instant of the injected <see cref="TimeProvider"/>. A job at 00:30 in Jerusalem is already on the next day
/// while UTC is not.
/// </summary>
public sealed class StoreCalendar
{
    private readonly TimeProvider _timeProvider;
    private readonly TimeZoneInfo _timeZone;

    /// <summary>Creates the calendar for the configured time zone.</summary>
    internal StoreCalendar(TimeProvider timeProvider, IOptions<KaggleStorageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _timeProvider = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
        _timeZone = KaggleStorageOptionsValidator.TryFindTimeZone(options.Value.TimeZone, out var zone)
            ? zone
            : throw new ArgumentException($"Unknown time zone '{options.Value.TimeZone}'.", nameof(options));
    }

    /// <summary>The configured time zone.</summary>
    internal TimeZoneInfo TimeZone => _timeZone;

    /// <summary>Today's partition date in the configured time zone.</summary>
    public PartitionDate Today => ToPartitionDate(_timeProvider.GetUtcNow());

    /// <summary>The day an instant falls on in the configured time zone.</summary>
    internal PartitionDate ToPartitionDate(DateTimeOffset instant) =>
        PartitionDate.FromDate(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, _timeZone).DateTime));

    /// <summary>Whole days from <paramref name="date"/> to today; 0 for today, negative for the future.</summary>
    internal int AgeInDays(PartitionDate date) => Today.DaysSince(date);
}
