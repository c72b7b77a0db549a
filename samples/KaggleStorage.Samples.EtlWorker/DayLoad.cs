using KaggleStorage.Manifests;

namespace KaggleStorage.Samples.EtlWorker;

/// <summary>What loading one day wrote: its load summary and its validation report.</summary>
/// <param name="Summary">Rows read, loaded and rejected per file.</param>
/// <param name="Report">How many rows (or files) broke each rule.</param>
public sealed record DayLoad(LoadSummary Summary, ValidationReport Report);
