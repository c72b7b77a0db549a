using System.IO.Compression;
using System.Text;
using BenchmarkDotNet.Attributes;
using KaggleStorage.Archival;

namespace KaggleStorage.Benchmarks;

/// <summary>The archive's compressor against the BCL's single-threaded GZipStream on the same CSV bytes.</summary>
[MemoryDiagnoser]
public class GzipBenchmarks
{
    private byte[] _csv = [];

    [Params(16, 64)]
    public int Megabytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var builder = new StringBuilder();
        var random = new Random(1);
        while (builder.Length < Megabytes << 20)
        {
            builder.Append("7290027600007,1,").Append(random.Next(1, 400)).Append(",חלב תנובה 3% 1 ליטר,תנובה,").Append(random.Next(100, 9999) / 100.0).Append('\n');
        }

        _csv = Encoding.UTF8.GetBytes(builder.ToString());
    }

    [Benchmark(Baseline = true)]
    public long BclGZipStreamLevel6()
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, new ZLibCompressionOptions { CompressionLevel = 6 }, leaveOpen: true))
        {
            gzip.Write(_csv);
        }

        return output.Length;
    }

    [Benchmark]
    public async Task<long> ParallelGzipStreamLevel6()
    {
        using var output = new MemoryStream();
        await using (var gzip = new ParallelGzipStream(output))
        {
            await gzip.WriteAsync(_csv);
        }

        return output.Length;
    }
}
