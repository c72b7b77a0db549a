using KaggleStorage.Errors;

namespace KaggleStorage.Samples.Api;

/// <summary>
/// One file of a day, streamed as <see cref="Archival.DayFileReader"/> hands it out. The reader proves an archived
/// file against its index's SHA-256 only by the end of the stream, so damage can surface after the status line and
/// the first bytes have gone out: the connection is then aborted, so the client sees a failed transfer rather than
/// a complete 200 with other bytes.
/// </summary>
internal sealed class DayFileResult(Stream content, string path) : IResult
{
    public async Task ExecuteAsync(HttpContext httpContext)
    {
        await using var stream = content;
        var response = httpContext.Response;
        response.ContentType = ContentTypeOf(path);

        // The reader's streams know the file's size (an archived one from its index) though they cannot seek, so the
        // length goes out first and a transfer aborted on damage is short of it, which every client notices.
        response.ContentLength = stream.Length;

        try
        {
            await stream.CopyToAsync(response.Body, httpContext.RequestAborted);
        }
        catch (InvalidDataException exception) when (!response.HasStarted)
        {
            response.Clear();
            await DayFileProblems.Damaged(exception).ExecuteAsync(httpContext);
        }
        catch (InvalidDataException exception)
        {
            httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger<DayFileResult>()
                .LogError("Aborted {Path} part-way: {Problem}", httpContext.Request.Path, exception.Message);
            httpContext.Abort();
        }
    }

    /// <summary>By extension only: the store holds CSVs and JSON documents, and anything else is served as bytes.</summary>
    public static string ContentTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".csv" => "text/csv; charset=utf-8",
        ".json" => "application/json",
        _ => "application/octet-stream",
    };
}

/// <summary>How the reader's refusals read over HTTP: one-line problems.</summary>
internal static class DayFileProblems
{
    /// <summary>The problem for an exception the reader documents, or null for any other (it stays a server error).</summary>
    public static IResult? From(Exception exception) => exception switch
    {
        StorageNotFoundException => Results.Problem(exception.Message, statusCode: StatusCodes.Status404NotFound, title: "Not found"),
        StorageInputException => Results.Problem(exception.Message, statusCode: StatusCodes.Status400BadRequest, title: "Not a file of the day"),
        InvalidDataException damaged => Damaged(damaged),
        _ => null,
    };

    public static IResult Damaged(InvalidDataException exception) =>
        Results.Problem(exception.Message, statusCode: StatusCodes.Status500InternalServerError, title: "Damaged archive");
}
