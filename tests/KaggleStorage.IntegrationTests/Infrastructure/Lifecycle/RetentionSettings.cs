using System.Globalization;

namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>The retention a prune step runs under, passed to the tool as configuration (environment keys).</summary>
internal sealed record RetentionSettings(int RawDays, int ProcessedDays, int ArchiveDays, int KeepLast)
{
    public IReadOnlyDictionary<string, string?> ToEnvironment() => new Dictionary<string, string?>
    {
        ["KaggleStorage__Retention__RawDays"] = RawDays.ToString(CultureInfo.InvariantCulture),
        ["KaggleStorage__Retention__ProcessedDays"] = ProcessedDays.ToString(CultureInfo.InvariantCulture),
        ["KaggleStorage__Retention__ArchiveDays"] = ArchiveDays.ToString(CultureInfo.InvariantCulture),
        ["KaggleStorage__Retention__KeepLast"] = KeepLast.ToString(CultureInfo.InvariantCulture),
    };

    public override string ToString() => $"raw={RawDays} processed={ProcessedDays} archive={ArchiveDays} keepLast={KeepLast}";
}
