using KaggleStorage.IO;

namespace KaggleStorage.Tool.Rendering;

/// <summary>
/// What a person or a log sees while a migration or rollback runs: the plan before any copying, a line per day
/// or file as it is done, and a progress line in between. With <c>--json</c> only the progress line (on stderr
/// off a terminal), so stdout stays one JSON document.
/// </summary>
internal sealed class LiveMigrationOutput(ToolConsole console, bool asJson) : IProgress<OperationProgress>, IDisposable
{
    private readonly ProgressLine _line = new(console, toError: asJson);

    public bool PlanShown { get; private set; }

    public void Report(OperationProgress value)
    {
        if (value.Lines.Count > 0)
        {
            if (!asJson)
            {
                _line.Clear();
                foreach (var line in value.Lines)
                {
                    console.Out.WriteLine(line);
                }

                // The library's first lines are the plan, before any file is copied.
                PlanShown = true;
            }

            return;
        }

        _line.Update(MigrationRenderer.Describe(value), value.BytesDone, value.BytesTotal ?? 0);
    }

    public void Dispose() => _line.Dispose();
}
