using KaggleStorage.Migration;

namespace KaggleStorage.Tool.Rendering;

/// <summary>
/// What a person or a log sees while a migration or rollback runs: the plan before any copying, a line per day
/// or file as it is done, and a progress line in between. With <c>--json</c> only the progress line (on stderr
/// off a terminal), so stdout stays one JSON document.
/// </summary>
internal sealed class LiveMigrationOutput(ToolConsole console, string operation, bool asJson) : IProgress<MigrationProgress>, IDisposable
{
    private readonly ProgressLine _line = new(console, toError: asJson);

    public bool PlanShown { get; private set; }

    public void Report(MigrationProgress value)
    {
        if (value.Plan is { } plan)
        {
            if (!asJson)
            {
                _line.Clear();
                MigrationRenderer.WritePlan(console.Out, operation, plan, dryRun: false);
                PlanShown = true;
            }

            return;
        }

        if (value.Completed is { } entry)
        {
            if (!asJson)
            {
                _line.Clear();
                console.Out.WriteLine(MigrationRenderer.DescribeCompleted(entry));
            }

            return;
        }

        _line.Update(MigrationRenderer.Describe(value), value.BytesDone, value.BytesTotal);
    }

    public void Dispose() => _line.Dispose();
}
