using System.IO.Abstractions;
using System.Text;
using KaggleStorage.IntegrationTests.Infrastructure;
using KaggleStorage.Manifests;
using KaggleStorage.Migration;

namespace KaggleStorage.IntegrationTests.Rules;

/// <summary>
/// The one fingerprint pass (size, SHA-256 and CSV rows in one read): a migrated copy and a manifest built from the
/// day must say the same of the same file, whatever its size or the case of its name.
/// </summary>
public sealed class FingerprintPassTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FileSystem _fileSystem = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("PRICES.CSV", 100_000L)]
    [InlineData("prices.csv", 100_000L)]
    [InlineData("prices.csv.txt", null)]
    public async Task A_copy_and_the_manifest_builder_fingerprint_a_file_alike(string name, long? rows)
    {
        // Over two of the pass's 1 MiB buffers, with a quoted line break in every row so that one falls on a
        // buffer boundary; sha256sum is the independent witness of the hash.
        var source = _temp.Combine(name);
        var text = new StringBuilder("barcode,name,price\n");
        for (var i = 0; i < rows.GetValueOrDefault(100_000); i++)
        {
            text.Append(i).Append(",\"milk\n3% ").Append(i).Append("\",5.90\n");
        }

        await File.WriteAllTextAsync(source, text.ToString());
        var copy = _temp.Combine("copy-" + name);
        long reported = 0;

        var copied = await new VerifiedFileCopier(_fileSystem, new FileFingerprinter(_fileSystem))
            .CopyAsync(source, copy, name, bytes => reported += bytes, CancellationToken.None);
        var built = await new FileFingerprinter(_fileSystem).ComputeAsync(source, name);
        var sha256sum = await Shell.RunAsync("sha256sum", source);

        Assert.True(new FileInfo(source).Length > 2 << 20);
        Assert.Equal(built, copied);
        Assert.Equal(rows, copied.RowCount);
        Assert.Equal(new FileInfo(source).Length, reported);
        Assert.Equal(sha256sum.StdOut.Split(' ')[0], copied.Sha256);
        Assert.Equal(await File.ReadAllBytesAsync(source), await File.ReadAllBytesAsync(copy));
    }
}
