namespace KaggleStorage.Samples.EtlWorker;

/// <summary>Settings of the sample ETL worker (section <c>Etl</c>; <c>--once</c> sets <see cref="Once"/>).</summary>
public sealed class EtlOptions
{
    /// <summary>Load every pending day, then exit (for a CronJob); otherwise keep polling.</summary>
    public bool Once { get; set; }

    /// <summary>How often to look for new raw days when polling.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMinutes(5);
}
