using KaggleStorage.Archival;
using KaggleStorage.Hosting;
using KaggleStorage.Layout;
using KaggleStorage.Manifests;
using KaggleStorage.Samples.Api;

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.AddKaggleStorage(builder.Configuration);
// Archived days may be in a bucket (KaggleStorage:Archive:Store=s3); the package is referenced for that alone.
builder.Services.AddKaggleStorageS3(builder.Configuration);
builder.Services.AddProblemDetails();
builder.Services.ConfigureHttpJsonOptions(json =>
{
    json.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase));
});
// Kubernetes probes /health every few seconds: ASP.NET Core's own lines per request (hosting, routing) would bury
// the log, so it says only warnings, as the web templates' appsettings do, and each request is one line logged here,
// probes at Debug and everything else at Information.
builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
var app = builder.Build();
var requests = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("KaggleStorage.Samples.Api.Requests");
app.Use(async (context, next) =>
{
    await next(context);
    // A response broken off part-way (a damaged archive, a client gone) did not deliver the status it began with.
    if (context.RequestAborted.IsCancellationRequested)
    {
        requests.LogWarning("{Method} {Path} {StatusCode} aborted", context.Request.Method, context.Request.Path, context.Response.StatusCode);
        return;
    }

    requests.Log(
        context.Request.Path.StartsWithSegments("/health", StringComparison.Ordinal) ? LogLevel.Debug : LogLevel.Information,
        "{Method} {Path} {StatusCode}",
        context.Request.Method,
        context.Request.Path,
        context.Response.StatusCode);
});

// Read-only by construction: only GET endpoints exist, and file names are checked before any path is built.
app.MapGet("/health", (StorageLayout layout, System.IO.Abstractions.IFileSystem fileSystem) =>
{
    var missing = StorageAreas.All.Where(area => !fileSystem.Directory.Exists(layout.GetAreaPath(area))).Select(a => a.GetFolderName()).ToList();
    return missing.Count == 0
        ? Results.Ok(new { status = "ok", root = layout.Root })
        : Results.Problem($"The store at {layout.Root} lacks {string.Join(", ", missing)}.", statusCode: 503);
});

app.MapGet("/partitions", async (StorageLayout layout, IArchiveStore archives, CancellationToken cancellationToken) =>
    Results.Ok(await PartitionCatalog.ListAsync(layout, archives, cancellationToken)));

app.MapGet("/partitions/{date}", async (string date, StorageLayout layout, ManifestStore manifests, CancellationToken cancellationToken) =>
{
    if (!PartitionDate.TryParse(date, out var day))
    {
        return BadDate(date);
    }

    var details = await PartitionCatalog.DetailsAsync(layout, manifests, day, cancellationToken);
    return details is null ? Results.Problem($"The store has no day {day}.", statusCode: 404) : Results.Ok(details);
});

app.MapGet("/partitions/{date}/files/{name}", (string date, string name, StorageLayout layout, System.IO.Abstractions.IFileSystem fileSystem) =>
{
    if (!PartitionDate.TryParse(date, out var day))
    {
        return BadDate(date);
    }

    if (!PartitionCatalog.IsPlainFileName(name))
    {
        return Results.Problem($"'{name}' is not a file name of a partition.", statusCode: 400);
    }

    var path = Path.Combine(layout.GetDateDirectory(StorageArea.Raw, day), name);
    return fileSystem.File.Exists(path)
        ? Results.File(path, name.EndsWith(".json", StringComparison.Ordinal) ? "application/json" : "text/csv; charset=utf-8", enableRangeProcessing: true)
        : Results.Problem($"raw/{day}/{name} does not exist.", statusCode: 404);
});

// Any day's files, live or archived (on the volume or in the bucket), through the library's reader; the reader
// holds every path to the day and every archived byte to the index's SHA-256.
app.MapGet("/days/{date}/files", async (string date, DayFileReader reader, CancellationToken cancellationToken) =>
{
    if (!PartitionDate.TryParse(date, out var day))
    {
        return BadDate(date);
    }

    try
    {
        return Results.Ok(await reader.ListAsync(day, cancellationToken));
    }
    catch (Exception exception) when (DayFileProblems.From(exception) is { } problem)
    {
        return problem;
    }
});

app.MapGet("/days/{date}/files/{**path}", async (string date, string path, DayFileReader reader, CancellationToken cancellationToken) =>
{
    if (!PartitionDate.TryParse(date, out var day))
    {
        return BadDate(date);
    }

    // The server leaves an encoded slash encoded; decoded here so the reader sees, and refuses, what the client meant.
    var file = path.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
    try
    {
        return new DayFileResult(await reader.OpenReadAsync(day, file, cancellationToken), file);
    }
    catch (Exception exception) when (DayFileProblems.From(exception) is { } problem)
    {
        return problem;
    }
});

app.Run();

static IResult BadDate(string date) =>
    Results.Problem($"'{date}' is not a partition date; expected YYYYMMDD, for example 20241026.", statusCode: 400, title: "Bad date");

/// <summary>The entry point, visible to WebApplicationFactory in tests.</summary>
public partial class Program;
