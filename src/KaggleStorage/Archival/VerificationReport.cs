namespace KaggleStorage.Archival;

/// <summary>What verification found, day by day, oldest first.</summary>
/// <param name="Days">One entry per day checked.</param>
public sealed record VerificationReport(IReadOnlyList<DayVerification> Days)
{
    /// <summary>Whether no day has a problem.</summary>
    public bool IsValid => Days.All(day => day.IsValid);
}
