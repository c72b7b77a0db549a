using System.Net;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using KaggleStorage.Errors;
using KaggleStorage.IO;
using KaggleStorage.Locking;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Archival;

/// <summary>
/// Archives in a bucket of an S3-compatible object store, as objects <c>&lt;Prefix&gt;YYYYMMDD.tar.gz</c> and
/// <c>&lt;Prefix&gt;YYYYMMDD.tar.gz.index.json</c>, byte for byte what the file system store writes. An archive is
/// streamed into a multipart upload under <c>&lt;Prefix&gt;.staging/</c> (two parts in memory, no local copy, each
/// part checked by the server against its Content-MD5), read back and checked, and only then copied to its final key
/// (or, where the server cannot copy, sent again and proven identical by its SHA-256); a failed upload is aborted. Every SDK error becomes an
/// <see cref="IOException"/> naming the object (missing credentials a <see cref="StorageInputException"/>), so the
/// services treat a bucket as they treat a disk.
/// </summary>
internal sealed class S3ArchiveStore : IArchiveStore
{
    private const string StagingFolder = ".staging/";

    // S3's CopyObject copies at most 5 GiB in one request; a day of the dataset archives to about 1 GB.
    private const long MaxCopyBytes = 5L << 30;

    private readonly IAmazonS3 _s3;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly int _partSize;
    private readonly ILogger _logger;
    private bool _serverSideCopy = true;

    public S3ArchiveStore(IAmazonS3 s3, S3ArchiveOptions options, ILogger<S3ArchiveStore> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        _s3 = s3;
        _bucket = options.Bucket!;
        _prefix = options.Prefix;
        _partSize = options.PartSizeMiB << 20;
        _logger = logger;
    }

    public ArchiveStoreKind Kind => ArchiveStoreKind.S3;

    public string Location => $"s3://{_bucket}/{_prefix}";

    public bool IsOnStoreVolume => false;

    // A bucket that is not there fails the listing with a clear message; status does not ask twice.
    public Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(true);

    /// <summary>
    /// The client for the options: the SDK's default credential chain, and request checksums only where S3
    /// requires them, because the SDK's default (a CRC trailer in aws-chunked framing) is stored verbatim inside
    /// the object by some S3-compatible servers.
    /// </summary>
    public static IAmazonS3 CreateClient(S3ArchiveOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (options.ServiceUrl is { } url)
        {
            config.ServiceURL = url.ToString();
            config.AuthenticationRegion = options.Region ?? "us-east-1";
        }
        else if (options.Region is { } region)
        {
            config.RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region);
        }

        return new AmazonS3Client(config);
    }

    public string Describe(string name) => $"s3://{_bucket}/{_prefix}{name}";

    public async Task<IReadOnlyList<ArchiveObjectInfo>> ListAsync(CancellationToken cancellationToken = default)
    {
        var objects = new List<ArchiveObjectInfo>();
        foreach (var item in await ListKeysAsync(_prefix, cancellationToken))
        {
            var name = item.Key[_prefix.Length..];
            if (!name.StartsWith(StagingFolder, StringComparison.Ordinal))
            {
                objects.Add(new ArchiveObjectInfo(name, item.Size ?? 0));
            }
        }

        objects.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return objects;
    }

    public async Task<ArchiveObjectInfo?> GetInfoAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var metadata = await CallAsync(name, "reading the metadata of", () => _s3.GetObjectMetadataAsync(_bucket, _prefix + name, cancellationToken));
            return new ArchiveObjectInfo(name, metadata.ContentLength);
        }
        catch (FileNotFoundException)
        {
            // A HEAD answers a bare 404 both for a missing key and for a missing bucket; a listing tells them apart,
            // so a bucket that is not there fails the command instead of reading as a day without an archive.
            await CallAsync(_prefix, "listing", () => _s3.ListObjectsV2Async(
                new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix + name, MaxKeys = 1 }, cancellationToken));
            return null;
        }
    }

    public Task<Stream> OpenReadAsync(string name, CancellationToken cancellationToken = default) =>
        OpenKeyAsync(_prefix + name, Describe(name), cancellationToken);

    public async Task<Stream> OpenReadRangeAsync(string name, long offset, long length, CancellationToken cancellationToken = default)
    {
        if (length == 0)
        {
            return Stream.Null;
        }

        var location = Describe(name);
        var request = new GetObjectRequest { BucketName = _bucket, Key = _prefix + name, ByteRange = new ByteRange(offset, offset + length - 1) };
        var response = await CallAsync(_prefix + name, "reading", () => _s3.GetObjectAsync(request, cancellationToken), location);
        if (response.ContentLength != length)
        {
            // A server that ignores the range sends the whole object from its start: those are other bytes.
            response.Dispose();
            throw new IOException($"S3 sent {response.ContentLength} bytes of {location} when bytes {offset} to {offset + length - 1} were asked for.");
        }

        return new OwnedReadStream(new ObjectReadStream(response, location), length, () => { });
    }

    public async Task DeleteAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            await CallAsync(name, "deleting", () => _s3.DeleteObjectAsync(_bucket, _prefix + name, cancellationToken));
        }
        catch (FileNotFoundException)
        {
            // S3 answers 204 for a key that is not there; some compatible servers answer 404. Either way it is gone.
        }
    }

    public async Task PutAsync(StoreLockHandle held, string name, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        ArgumentNullException.ThrowIfNull(write);
        using var buffer = new MemoryStream();
        await write(buffer, cancellationToken);
        buffer.Position = 0;
        held.EnsureHeld();

        // One PUT is atomic: the object appears whole or not at all.
        await CallAsync(name, "writing", () => _s3.PutObjectAsync(
            new PutObjectRequest { BucketName = _bucket, Key = _prefix + name, InputStream = buffer, AutoCloseStream = false, UseChunkEncoding = false },
            cancellationToken));
    }

    public Task<IStagedArchiveObject> StageAsync(StoreLockHandle held, string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        held.EnsureHeld();
        return Task.FromResult<IStagedArchiveObject>(new Staged(this, held, name, $"{_prefix}{StagingFolder}{Guid.NewGuid():N}-{name}"));
    }

    public async Task<int> RemoveLeftoversAsync(StoreLockHandle held, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(held);
        held.EnsureHeld();

        // Whoever holds the lock is the only writer, so whatever is staged now was left by a holder that died.
        var removed = 0;
        foreach (var item in await ListKeysAsync(_prefix + StagingFolder, cancellationToken))
        {
            await CallAsync(item.Key, "removing the leftover", () => _s3.DeleteObjectAsync(_bucket, item.Key, cancellationToken));
            removed++;
        }

        // Unfinished uploads: staged ones, and re-uploads of a verified archive to its final key.
        try
        {
            var request = new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix };
            do
            {
                var page = await _s3.ListMultipartUploadsAsync(request, cancellationToken);
                foreach (var upload in (page.MultipartUploads ?? []).Where(u => IsOurs(u.Key[_prefix.Length..])))
                {
                    await AbortAsync(upload.Key, upload.UploadId, cancellationToken);
                    removed++;
                }

                (request.KeyMarker, request.UploadIdMarker) = page.IsTruncated == true ? (page.NextKeyMarker, page.NextUploadIdMarker) : (null, null);
            }
            while (request.KeyMarker is not null);
        }
        catch (Exception exception) when (IsBestEffortFailure(exception, cancellationToken))
        {
            // Listing uploads needs s3:ListBucketMultipartUploads, and some S3-compatible servers cannot do it at
            // all; a bucket lifecycle rule that aborts incomplete uploads is then the way to expire them.
            _logger.LogWarning("{Store}: unfinished uploads could not be listed ({Error}); rely on a lifecycle rule to expire them", Location, exception.Message);
        }

        return removed;
    }

    public async Task<IReadOnlyList<LeftoverEntry>> ListLeftoversAsync(CancellationToken cancellationToken = default)
    {
        var leftovers = (await ListKeysAsync(_prefix + StagingFolder, cancellationToken))
            .Select(item => new LeftoverEntry($"s3://{_bucket}/{item.Key}", item.Size ?? 0) { StartedAtUtc = item.LastModified?.ToUniversalTime() })
            .ToList();
        try
        {
            var request = new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = _prefix };
            do
            {
                var page = await _s3.ListMultipartUploadsAsync(request, cancellationToken);
                foreach (var upload in (page.MultipartUploads ?? []).Where(u => IsOurs(u.Key[_prefix.Length..])))
                {
                    leftovers.Add(new LeftoverEntry($"s3://{_bucket}/{upload.Key}", await SizeOfPartsAsync(upload, cancellationToken))
                    {
                        StartedAtUtc = upload.Initiated?.ToUniversalTime(),
                        UploadId = upload.UploadId,
                    });
                }

                (request.KeyMarker, request.UploadIdMarker) = page.IsTruncated == true ? (page.NextKeyMarker, page.NextUploadIdMarker) : (null, null);
            }
            while (request.KeyMarker is not null);
        }
        catch (Exception exception) when (IsBestEffortFailure(exception, cancellationToken))
        {
            // As for removing them: without s3:ListBucketMultipartUploads a lifecycle rule is what expires them.
            _logger.LogWarning("{Store}: unfinished uploads could not be listed ({Error})", Location, exception.Message);
        }

        return leftovers;
    }

    /// <summary>The bytes the parts of an unfinished upload hold (0 when they cannot be listed, e.g. it was just aborted).</summary>
    private async Task<long> SizeOfPartsAsync(MultipartUpload upload, CancellationToken cancellationToken)
    {
        try
        {
            long bytes = 0;
            var request = new ListPartsRequest { BucketName = _bucket, Key = upload.Key, UploadId = upload.UploadId };
            do
            {
                var page = await _s3.ListPartsAsync(request, cancellationToken);
                bytes += (page.Parts ?? []).Sum(part => part.Size ?? 0);
                request.PartNumberMarker = page.IsTruncated == true ? page.NextPartNumberMarker?.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            }
            while (request.PartNumberMarker is not null);
            return bytes;
        }
        catch (Exception exception) when (IsBestEffortFailure(exception, cancellationToken))
        {
            return 0;
        }
    }

    private static bool IsOurs(string name) =>
        name.StartsWith(StagingFolder, StringComparison.Ordinal) || ArchiveNames.TryParse(name, out _, out _);

    /// <summary>A failure of cleanup that must not hide the outcome it follows (anything but a cancellation asked for).</summary>
    private static bool IsBestEffortFailure(Exception exception, CancellationToken cancellationToken) =>
        !(exception is OperationCanceledException && cancellationToken.IsCancellationRequested);

    /// <summary>Streams what <paramref name="write"/> writes into a multipart upload of <paramref name="key"/>; aborts it on failure.</summary>
    private async Task<long> UploadAsync(string key, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var upload = await CallAsync(key, "starting the upload of", () => _s3.InitiateMultipartUploadAsync(
            new InitiateMultipartUploadRequest { BucketName = _bucket, Key = key, ContentType = ArchiveFormat.ContentType }, cancellationToken));
        try
        {
            await using var stream = new S3UploadStream(this, key, upload.UploadId, cancellationToken);
            await write(stream, cancellationToken);
            return await stream.CompleteAsync();
        }
        catch
        {
            // No orphan parts: an upload that did not complete is aborted before the failure propagates.
            await AbortAsync(key, upload.UploadId, CancellationToken.None);
            throw;
        }
    }

    private async Task<List<S3Object>> ListKeysAsync(string prefix, CancellationToken cancellationToken)
    {
        var objects = new List<S3Object>();
        var request = new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix };
        do
        {
            var page = await CallAsync(prefix, "listing", () => _s3.ListObjectsV2Async(request, cancellationToken));
            objects.AddRange(page.S3Objects ?? []);
            request.ContinuationToken = page.IsTruncated == true ? page.NextContinuationToken : null;
        }
        while (request.ContinuationToken is not null);

        return objects;
    }

    private async Task<Stream> OpenKeyAsync(string key, string location, CancellationToken cancellationToken)
    {
        var response = await CallAsync(key, "reading", () => _s3.GetObjectAsync(_bucket, key, cancellationToken), location);
        return new OwnedReadStream(new ObjectReadStream(response, location), response.ContentLength, () => { });
    }

    private async Task AbortAsync(string key, string uploadId, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.AbortMultipartUploadAsync(_bucket, key, uploadId, cancellationToken);
        }
        catch (Exception exception) when (IsBestEffortFailure(exception, cancellationToken))
        {
            // Parts left behind cost storage until a lifecycle rule expires them; the run's outcome stays the failure
            // that caused the abort.
            _logger.LogWarning("Could not abort the unfinished upload of s3://{Bucket}/{Key}: {Error}", _bucket, key, exception.Message);
        }
    }

    private Task<bool> CallAsync(string name, string doing, Func<Task> call) =>
        CallAsync(name, doing, async () =>
        {
            await call();
            return true;
        });

    private async Task<T> CallAsync<T>(string name, string doing, Func<Task<T>> call, string? location = null)
    {
        location ??= name.StartsWith(_prefix, StringComparison.Ordinal) && _prefix.Length > 0 ? $"s3://{_bucket}/{name}" : Describe(name);
        try
        {
            return await call();
        }
        catch (AmazonS3Exception exception) when (exception.StatusCode == HttpStatusCode.NotFound && exception.ErrorCode != "NoSuchBucket")
        {
            throw new FileNotFoundException($"{location} does not exist.", location, exception);
        }
        catch (AmazonServiceException exception) when (exception.ErrorCode is "NoSuchBucket" or "InvalidAccessKeyId" or "SignatureDoesNotMatch")
        {
            throw new ArchiveStoreUnavailableException(
                $"S3 answered HTTP {(int)exception.StatusCode} {exception.ErrorCode} while {doing} {location}: {S3ErrorText.Describe(exception)}", exception);
        }
        catch (AmazonServiceException exception)
        {
            throw new IOException(
                $"S3 answered HTTP {(int)exception.StatusCode} {exception.ErrorCode} while {doing} {location}: {S3ErrorText.Describe(exception)}", exception);
        }
        catch (AmazonClientException exception) when (exception.Message.Contains("credentials", StringComparison.OrdinalIgnoreCase))
        {
            throw new StorageInputException(
                $"No AWS credentials were found for the S3 archive store {Location}: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, or a web identity (IRSA) for the pod.",
                exception);
        }
        catch (Exception exception) when (exception is AmazonClientException or HttpRequestException or TimeoutException)
        {
            throw new ArchiveStoreUnavailableException($"S3 could not be reached while {doing} {location}: {exception.Message}", exception);
        }
    }

    private sealed class Staged(S3ArchiveStore store, StoreLockHandle held, string name, string stagingKey) : IStagedArchiveObject
    {
        private bool _written;
        private bool _published;
        private long _size;
        private string? _readBackSha256;

        public async Task WriteAsync(Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(write);
            _size = await store.UploadAsync(stagingKey, write, cancellationToken);
            _written = true;
        }

        public async Task<Stream> OpenReadAsync(CancellationToken cancellationToken = default)
        {
            // The hash of what the check read back is kept: a publish that has to send the object again proves
            // it sent exactly that.
            var stream = new HashingReadStream(await store.OpenKeyAsync(stagingKey, $"s3://{store._bucket}/{stagingKey}", cancellationToken));
            return new OwnedReadStream(stream, _size, () => _readBackSha256 = stream.BytesRead == _size ? stream.GetHashHex() : null);
        }

        public async Task PublishAsync(CancellationToken cancellationToken = default)
        {
            if (!_written)
            {
                throw new InvalidOperationException("Nothing was written to publish.");
            }

            held.EnsureHeld();
            cancellationToken.ThrowIfCancellationRequested();
            if (_size <= MaxCopyBytes && store._serverSideCopy)
            {
                try
                {
                    await store.CallAsync(name, "publishing", () => store._s3.CopyObjectAsync(
                        new CopyObjectRequest
                        {
                            SourceBucket = store._bucket,
                            SourceKey = stagingKey,
                            DestinationBucket = store._bucket,
                            DestinationKey = store._prefix + name,
                            ContentType = ArchiveFormat.ContentType,
                            MetadataDirective = S3MetadataDirective.REPLACE,
                        },
                        cancellationToken));
                    await FinishAsync(cancellationToken);
                    return;
                }
                catch (IOException exception) when (exception.InnerException is AmazonS3Exception { ErrorCode: "NoSuchBucket" or "NoSuchKey" or "NotImplemented" or "InvalidRequest" or "InvalidArgument" })
                {
                    // Some S3-compatible servers cannot copy (s3rver mis-decodes the copy source): send it again.
                    store._serverSideCopy = false;
                    store._logger.LogWarning("{Store} could not copy server-side ({Error}); the verified archive is uploaded again instead", store.Location, exception.Message);
                }
            }

            await ReuploadAsync(cancellationToken);
            await FinishAsync(cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            if (_written && !_published)
            {
                try
                {
                    await store._s3.DeleteObjectAsync(store._bucket, stagingKey);
                }
                catch (Exception exception) when (IsBestEffortFailure(exception, CancellationToken.None))
                {
                    // The next run that takes the lock removes it.
                    store._logger.LogWarning("Could not remove the staged object s3://{Bucket}/{Key}: {Error}", store._bucket, stagingKey, exception.Message);
                }
            }
        }

        private async Task ReuploadAsync(CancellationToken cancellationToken)
        {
            var expected = _readBackSha256 ?? throw new InvalidOperationException("The staged archive must be read back whole before it is published.");
            string? sent = null;
            await store.UploadAsync(
                store._prefix + name,
                async (upload, token) =>
                {
                    await using var source = new HashingReadStream(await store.OpenKeyAsync(stagingKey, $"s3://{store._bucket}/{stagingKey}", token));
                    await source.CopyToAsync(upload, 1 << 20, token);
                    sent = source.GetHashHex();
                    if (sent != expected)
                    {
                        throw new IOException($"The staged archive read differently the second time (sha256 {sent}, checked {expected}); nothing was published.");
                    }
                },
                cancellationToken);
        }

        private async Task FinishAsync(CancellationToken cancellationToken)
        {
            // Published: from here on, a failure to tidy up is not a failure of the archive. The next holder of the
            // lock removes a staged object left behind.
            _published = true;
            try
            {
                await store._s3.DeleteObjectAsync(store._bucket, stagingKey, cancellationToken);
            }
            catch (Exception exception) when (IsBestEffortFailure(exception, cancellationToken))
            {
                store._logger.LogWarning("Could not remove the staged object s3://{Bucket}/{Key}: {Error}", store._bucket, stagingKey, exception.Message);
            }
        }
    }

    /// <summary>
    /// The body of one GET, whose failures name the object: the SDK checks the bytes against the object's ETag as
    /// the last of them is read (or when the body is closed) and says only "Expected hash not equal to calculated
    /// hash", and a connection that breaks mid-body says nothing of what was being read.
    /// </summary>
    private sealed class ObjectReadStream(GetObjectResponse response, string location) : ReadOnlyStream
    {
        private readonly Stream _inner = response.ResponseStream;
        private bool _failed;

        public override int Read(byte[] buffer, int offset, int count)
        {
            try
            {
                return _inner.Read(buffer, offset, count);
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await _inner.ReadAsync(buffer, cancellationToken);
            }
            catch (Exception exception) when (Translate(exception) is { } translated)
            {
                throw translated;
            }
        }

        protected override void Dispose(bool disposing)
        {
            var readFailed = _failed;
            try
            {
                if (disposing)
                {
                    // Closing the response closes its body, where the SDK checks what was read against the ETag.
                    response.Dispose();
                }
            }
            catch (Exception exception) when (!readFailed && Translate(exception) is { } translated)
            {
                throw translated;
            }
            catch (Exception exception) when (readFailed && Translate(exception) is not null)
            {
                // What a read already threw is not thrown again by the close that follows it.
            }
            finally
            {
                base.Dispose(disposing);
            }
        }

        private Exception? Translate(Exception exception)
        {
            if (exception is OperationCanceledException)
            {
                return null;
            }

            _failed = true;
            return exception switch
            {
                AmazonClientException when exception.Message.Contains("hash", StringComparison.OrdinalIgnoreCase)
                    || exception.Message.Contains("checksum", StringComparison.OrdinalIgnoreCase) =>
                    new InvalidDataException(
                        $"{location} is damaged: the bytes S3 sent do not match the checksum it stored for the object ({exception.Message})", exception),
                AmazonClientException or HttpRequestException or IOException =>
                    new IOException($"S3 stopped sending {location}: {exception.Message}", exception),
                _ => null,
            };
        }
    }

    /// <summary>A forward-only read of <paramref name="inner"/> that runs <paramref name="onDispose"/> when it is disposed.</summary>
    private sealed class OwnedReadStream(Stream inner, long length, Action onDispose) : ReadOnlyStream
    {
        public override long Length => length;

        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            inner.ReadAsync(buffer, offset, count, cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // First: the action may still read what the inner stream knows (the hash of what was read).
                onDispose();
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// A write-only stream that sends what it is given as the parts of a multipart upload: one part fills while the
    /// previous one uploads, so memory stays at two parts however large the archive.
    /// </summary>
    private sealed class S3UploadStream(S3ArchiveStore store, string key, string uploadId, CancellationToken cancellationToken) : Stream
    {
        private readonly List<PartETag> _parts = [];
        private Exception? _failed;
        private byte[] _buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(store._partSize);
        private int _filled;
        private long _total;
        private Task<byte[]>? _uploading;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => _total;

        public override long Position { get => _total; set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) =>
            WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken token = default)
        {
            // After a part failed, nothing more is sent: the upload is about to be aborted.
            ThrowIfFailed();
            while (buffer.Length > 0)
            {
                var take = Math.Min(buffer.Length, store._partSize - _filled);
                buffer[..take].CopyTo(_buffer.AsMemory(_filled));
                _filled += take;
                _total += take;
                buffer = buffer[take..];
                if (_filled == store._partSize)
                {
                    await SendFilledAsync();
                }
            }
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken token) =>
            WriteAsync(buffer.AsMemory(offset, count), token).AsTask();

        /// <summary>Sends the last part and completes the upload; returns the object's size.</summary>
        public async Task<long> CompleteAsync()
        {
            ThrowIfFailed();
            if (_filled > 0 || _parts.Count == 0)
            {
                await SendFilledAsync();
            }

            ReturnBuffer(await FinishUploadingAsync());
            await store.CallAsync(key, "completing the upload of", () => store._s3.CompleteMultipartUploadAsync(
                new CompleteMultipartUploadRequest { BucketName = store._bucket, Key = key, UploadId = uploadId, PartETags = _parts }, cancellationToken));
            return _total;
        }

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override async ValueTask DisposeAsync()
        {
            try
            {
                ReturnBuffer(await FinishUploadingAsync());
            }
            catch (Exception exception) when (exception is IOException or StorageInputException)
            {
                // The failure that matters was already thrown to the writer; the caller aborts the upload.
            }

            ReturnBuffer(_buffer);
            _buffer = [];
            await base.DisposeAsync();
        }

        private static void ReturnBuffer(byte[]? buffer)
        {
            if (buffer is { Length: > 0 })
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private void ThrowIfFailed()
        {
            if (_failed is not null)
            {
                throw new IOException($"The upload of s3://{store._bucket}/{key} already failed: {_failed.Message}", _failed);
            }
        }

        private async Task<byte[]?> FinishUploadingAsync()
        {
            var uploading = _uploading;
            _uploading = null;
            try
            {
                return uploading is null ? null : await uploading;
            }
            catch (Exception exception)
            {
                _failed ??= exception;
                throw;
            }
        }

        private async Task SendFilledAsync()
        {
            // Wait for the previous part, reuse its buffer for the next one, and send this one in the background.
            var free = await FinishUploadingAsync() ?? System.Buffers.ArrayPool<byte>.Shared.Rent(store._partSize);
            var (full, length, number) = (_buffer, _filled, _parts.Count + 1);
            _parts.Add(new PartETag(number, string.Empty));
            _buffer = free;
            _filled = 0;
            _uploading = UploadAsync(full, length, number);
        }

        private async Task<byte[]> UploadAsync(byte[] data, int length, int number)
        {
            using var part = new MemoryStream(data, 0, length, writable: false);
#pragma warning disable CA5351 // Content-MD5 is S3's own integrity check of a part, not a security measure.
            var md5 = Convert.ToBase64String(System.Security.Cryptography.MD5.HashData(data.AsSpan(0, length)));
#pragma warning restore CA5351
            var response = await store.CallAsync(key, $"uploading part {number} of", () => store._s3.UploadPartAsync(
                new UploadPartRequest
                {
                    BucketName = store._bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    InputStream = part,
                    PartSize = length,
                    MD5Digest = md5,
                    UseChunkEncoding = false,
                },
                cancellationToken));
            _parts[number - 1] = new PartETag(number, response.ETag);
            return data;
        }
    }
}
