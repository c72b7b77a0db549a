using System.Diagnostics;
using System.Text.RegularExpressions;
using Amazon.S3;
using Amazon.S3.Model;

namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// An S3-compatible endpoint for the archive store's tests: s3rver (npm) on loopback in a temp folder, started
/// once per test class and stopped afterwards; or, opted into with <c>KAGGLE_STORAGE_S3_TEST_ENDPOINT</c> (and
/// <c>KAGGLE_STORAGE_S3_TEST_BUCKET</c>, credentials from the usual AWS variables), a real endpoint: AWS, MinIO, or
/// the Ceph RADOS Gateway that <c>.ci/ceph-s3/test.sh</c> starts (which also sets
/// <c>KAGGLE_STORAGE_S3_TEST_PATH_STYLE=true</c>, as a server on an IP address needs).
/// s3rver is taken from <c>S3RVER</c>, else from <c>.ci/s3rver</c>, where it is installed when missing.
/// </summary>
public sealed partial class S3Endpoint : IAsyncLifetime
{
    public const string AccessKey = "S3RVER";
    public const string SecretKey = "S3RVER";

    private readonly TempDirectory _data = new();
    private Process? _server;

    public Uri ServiceUrl { get; private set; } = null!;

    /// <summary>Whether this is a real endpoint rather than the local s3rver.</summary>
    public bool IsReal { get; private set; }

    /// <summary>Whether buckets are addressed by path: always for s3rver, when asked for on a real endpoint.</summary>
    public bool PathStyle { get; private set; } = true;

    private string? RealBucket { get; set; }

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("KAGGLE_STORAGE_S3_TEST_ENDPOINT") is { Length: > 0 } real)
        {
            (ServiceUrl, IsReal) = (new Uri(real), true);
            PathStyle = string.Equals(Environment.GetEnvironmentVariable("KAGGLE_STORAGE_S3_TEST_PATH_STYLE"), "true", StringComparison.OrdinalIgnoreCase);
            RealBucket = Environment.GetEnvironmentVariable("KAGGLE_STORAGE_S3_TEST_BUCKET")
                ?? throw new InvalidOperationException("KAGGLE_STORAGE_S3_TEST_ENDPOINT needs KAGGLE_STORAGE_S3_TEST_BUCKET.");
            return;
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { await FindS3rverAsync(), "-d", _data.Path, "-a", "127.0.0.1", "-p", "0" })
        {
            start.ArgumentList.Add(argument);
        }

        _server = Process.Start(start) ?? throw new InvalidOperationException("Could not start s3rver.");
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        _server.OutputDataReceived += (_, line) =>
        {
            if (line.Data is { } text && Listening().Match(text) is { Success: true } match)
            {
                listening.TrySetResult(new Uri($"http://127.0.0.1:{match.Groups[1].Value}"));
            }
        };
        _server.ErrorDataReceived += (_, _) => { };
        _server.BeginOutputReadLine();
        _server.BeginErrorReadLine();
        ServiceUrl = await listening.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_server is { HasExited: false })
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server?.Dispose();
        _data.Dispose();
    }

    /// <summary>A fresh, empty bucket (on a real endpoint: a fresh prefix in the configured bucket).</summary>
    public async Task<(string Bucket, string Prefix)> CreateBucketAsync()
    {
        var unique = Guid.NewGuid().ToString("N")[..12];
        if (IsReal)
        {
            return (RealBucket!, $"kaggle-storage-test/{unique}/");
        }

        using var client = CreateClient();
        var bucket = "archives-" + unique;
        await client.PutBucketAsync(bucket);
        return (bucket, "archive/");
    }

    public AmazonS3Client CreateClient()
    {
        var config = new AmazonS3Config
        {
            ServiceURL = ServiceUrl.ToString(),
            ForcePathStyle = PathStyle,
            AuthenticationRegion = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
            RequestChecksumCalculation = Amazon.Runtime.RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = Amazon.Runtime.ResponseChecksumValidation.WHEN_REQUIRED,
        };
        return IsReal ? new AmazonS3Client(config) : new AmazonS3Client(new Amazon.Runtime.BasicAWSCredentials(AccessKey, SecretKey), config);
    }

    /// <summary>The tool's environment for an S3 archive store in <paramref name="bucket"/>.</summary>
    public Dictionary<string, string?> ToolEnvironment(string bucket, string prefix, string home)
    {
        var environment = new Dictionary<string, string?>
        {
            ["KaggleStorage__Archive__Store"] = "s3",
            ["KaggleStorage__Archive__S3__Bucket"] = bucket,
            ["KaggleStorage__Archive__S3__Prefix"] = prefix,
            ["KaggleStorage__Archive__S3__ServiceUrl"] = ServiceUrl.ToString(),
            ["KaggleStorage__Archive__S3__ForcePathStyle"] = PathStyle ? "true" : "false",
            ["KaggleStorage__Archive__S3__PartSizeMiB"] = "5",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["HOME"] = home,
        };
        if (!IsReal)
        {
            environment["AWS_ACCESS_KEY_ID"] = AccessKey;
            environment["AWS_SECRET_ACCESS_KEY"] = SecretKey;
        }

        return environment;
    }

    public async Task<List<string>> ListKeysAsync(string bucket, string prefix)
    {
        using var client = CreateClient();
        var response = await client.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix });
        return (response.S3Objects ?? []).Select(o => o.Key).Order(StringComparer.Ordinal).ToList();
    }

    public async Task<byte[]> GetAsync(string bucket, string key)
    {
        using var client = CreateClient();
        using var response = await client.GetObjectAsync(bucket, key);
        using var buffer = new MemoryStream();
        await response.ResponseStream.CopyToAsync(buffer);
        return buffer.ToArray();
    }

    public async Task PutAsync(string bucket, string key, byte[] content)
    {
        using var client = CreateClient();
        await client.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = new MemoryStream(content), UseChunkEncoding = false });
    }

    /// <summary>Begins a multipart upload of <paramref name="key"/> and sends one part of random bytes, as a run killed mid-upload leaves it.</summary>
    public async Task<string> StartUploadWithOnePartAsync(string bucket, string key, int partBytes)
    {
        using var client = CreateClient();
        var upload = await client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key });
        await client.UploadPartAsync(new UploadPartRequest
        {
            BucketName = bucket,
            Key = key,
            UploadId = upload.UploadId,
            PartNumber = 1,
            InputStream = new MemoryStream(System.Security.Cryptography.RandomNumberGenerator.GetBytes(partBytes)),
            UseChunkEncoding = false,
        });
        return upload.UploadId;
    }

    /// <summary>The keys of the multipart uploads open under <paramref name="prefix"/> (none where the server cannot list them).</summary>
    public async Task<List<string>> ListUploadsAsync(string bucket, string prefix)
    {
        using var client = CreateClient();
        try
        {
            var response = await client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = bucket, Prefix = prefix });
            return (response.MultipartUploads ?? []).Select(u => u.Key).ToList();
        }
        catch (AmazonS3Exception) when (!IsReal)
        {
            // s3rver keeps no uploads to list.
            return [];
        }
    }

    /// <summary>
    /// Flips one byte of an object (at <paramref name="offset"/>, else in its middle; or changes it by
    /// <paramref name="damage"/>) where s3rver keeps it on disk,
    /// leaving the checksum it stored untouched: the object is then damaged in the bucket, as bit rot or a faulty
    /// disk under a server would leave it. Returns false on a real endpoint, whose disks a test cannot reach.
    /// </summary>
    public bool DamageStoredObject(string bucket, string key, int? offset = null, Func<byte, byte>? damage = null)
    {
        if (IsReal)
        {
            return false;
        }

        var path = Path.Combine(_data.Path, bucket, key + "._S3rver_object");
        var bytes = File.ReadAllBytes(path);
        var at = offset ?? bytes.Length / 2;
        bytes[at] = damage?.Invoke(bytes[at]) ?? (byte)(bytes[at] ^ 0x40);
        File.WriteAllBytes(path, bytes);
        return true;
    }

    private static async Task<string> FindS3rverAsync()
    {
        if (Environment.GetEnvironmentVariable("S3RVER") is { Length: > 0 } configured)
        {
            return configured;
        }

        var folder = Repository.Combine(".ci", "s3rver");
        var script = Path.Combine(folder, "node_modules", "s3rver", "bin", "s3rver.js");
        if (!File.Exists(script))
        {
            // One install for every test class; npm itself tolerates no concurrent install into one folder.
            await InstallGate.WaitAsync();
            try
            {
                if (!File.Exists(script))
                {
                    var install = await Shell.RunAsync("npm", "install", "--no-audit", "--no-fund", "--prefix", folder, "s3rver@3.7.1");
                    if (install.ExitCode != 0 || !File.Exists(script))
                    {
                        throw new InvalidOperationException($"s3rver could not be installed into {folder}:\n{install}");
                    }
                }
            }
            finally
            {
                InstallGate.Release();
            }
        }

        return script;
    }

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    [GeneratedRegex(@"listening on [^:\s]+:(\d+)", RegexOptions.IgnoreCase)]
    private static partial Regex Listening();
}
