using System.Net;
using Amazon.Runtime;

namespace KaggleStorage.Archival;

/// <summary>
/// The whole of an S3 error for one line: what the error code means, then the server's own words when it sent any.
/// Production servers do not always send a message (Ceph RADOS Gateway sends none), and a line that ends in the
/// code alone leaves the reader to look it up.
/// </summary>
internal static class S3ErrorText
{
    public static string Describe(AmazonServiceException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var message = exception.Message?.Trim().TrimEnd('.') ?? string.Empty;
        var meaning = Meaning(exception.ErrorCode) ?? Meaning(exception.StatusCode);
        return (meaning, message.Length) switch
        {
            (null, 0) => "the server said nothing more",
            (null, _) => message,
            (_, 0) => meaning,
            _ when message.Equals(meaning, StringComparison.OrdinalIgnoreCase) => meaning,
            _ => $"{meaning} ({message})",
        };
    }

    private static string? Meaning(string? code) => code switch
    {
        "NoSuchBucket" => "the bucket does not exist",
        "NoSuchKey" => "there is no object of that name",
        "NoSuchUpload" => "the multipart upload is not open (it was completed or aborted)",
        "AccessDenied" => "the credentials may not do this; see the IAM policy the archive store needs",
        "InvalidAccessKeyId" => "the server knows no such access key",
        "SignatureDoesNotMatch" => "the secret key does not belong to the access key (or the clock is off)",
        "RequestTimeTooSkewed" => "this machine's clock is too far from the server's",
        "ExpiredToken" or "TokenRefreshRequired" => "the temporary credentials (token) expired",
        "BadDigest" => "the bytes the server received do not match their Content-MD5",
        "InvalidDigest" => "the Content-MD5 sent is not a valid digest",
        "EntityTooSmall" => "a part is smaller than the server's minimum part size (5 MiB)",
        "EntityTooLarge" => "the object or part is larger than the server allows",
        "InvalidPart" or "InvalidPartOrder" => "the parts listed to complete the upload are not the ones uploaded",
        "QuotaExceeded" => "the bucket or user is over its quota",
        "SlowDown" or "ServiceUnavailable" => "the server is overloaded; try again later",
        "InternalError" => "the server failed internally; try again",
        _ => null,
    };

    private static string? Meaning(HttpStatusCode status) => status switch
    {
        HttpStatusCode.Forbidden => "the server refused the request (credentials or policy)",
        HttpStatusCode.NotFound => "not found",
        HttpStatusCode.ServiceUnavailable => "the server is unavailable; try again later",
        _ when (int)status >= 500 => "the server failed; try again",
        _ => null,
    };
}
