using System.Security.Cryptography;
using System.Text;
using KaggleStorage.IntegrationTests.Infrastructure;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Legacy data as the old job left it: its own manifests in other shapes (one contradicting its files) and debris
/// in the folder. Every day migrates with a current manifest, the old one is kept byte for byte, debris is skipped
/// with a reason, and a rollback gives the legacy days back as they were.
/// </summary>
public sealed class LegacyDataTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _root;
    private readonly string _data;

    public LegacyDataTests()
    {
        _root = _temp.Combine("store");

        // Commands refuse a root that does not exist; this store has been made by init.
        Directory.CreateDirectory(_root);
        _data = _temp.Combine("jobs", "fetch-kaggle", "data");
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Legacy_manifests_of_several_shapes_are_adopted_and_a_contradiction_is_named_by_file()
    {
        var prices = "chainid,storeid,itemcode,itemprice\n1,1,100,5.90\n"u8.ToArray();
#pragma warning disable CA5351 // The old job's manifests carry MD5; the test writes one.
        var md5 = Convert.ToHexStringLower(MD5.HashData(prices));
#pragma warning restore CA5351
        var sha = Convert.ToHexStringLower(SHA256.HashData(prices));
        WriteDay("20241024", prices, $$"""{"dataset":"erlichsefi/israeli-supermarkets-2024","downloaded":"2024-10-24 02:00","files":[{"file":"prices.csv","size":{{prices.Length}},"md5":"{{md5}}"}]}""");
        WriteDay("20241025", prices, "{\"files\":{\"prices.csv\":" + prices.Length + "}}");
        WriteDay("20241026", prices, $$"""[{"name":"prices.csv","bytes":{{prices.Length + 5}},"sha256":"{{sha}}"}]""");
        var before = Shell.HashTree(Path.Combine(_data, "kaggle_raw"));

        var migrate = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _data);
        var status = await ToolProcess.RunAsync("--root", _root, "status");
        var verify = await ToolProcess.RunAsync("--root", _root, "verify");
        var back = _temp.Combine("back");
        var rollback = await ToolProcess.RunAsync("--root", _root, "rollback", "--to", back);

        Assert.Equal(1, migrate.ExitCode);
        Assert.Contains($"20241026: prices.csv has {prices.Length} bytes, but the legacy manifest says {prices.Length + 5}", migrate.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("20241024: prices.csv", migrate.StdOut, StringComparison.Ordinal);
        Assert.DoesNotContain("20241025: prices.csv", migrate.StdOut, StringComparison.Ordinal);
        foreach (var day in new[] { "20241024", "20241025", "20241026" })
        {
            Assert.Equal(
                await File.ReadAllBytesAsync(Path.Combine(_data, "kaggle_raw", day, "download_manifest.json")),
                await File.ReadAllBytesAsync(Path.Combine(_root, "raw", day, "download_manifest.legacy.json")));
        }

        Assert.Contains("Manifests: 3 valid, 0 missing, 0 invalid.", status.StdOut, StringComparison.Ordinal);
        Assert.True(verify.ExitCode == 0, verify.ToString());
        Assert.True(rollback.ExitCode == 0, rollback.ToString());
        Assert.Equal(before, Shell.HashTree(Path.Combine(back, "kaggle_raw")));
    }

    [Fact]
    public async Task Debris_in_the_legacy_folder_is_skipped_with_a_reason_and_never_becomes_a_day()
    {
        WriteDay("20241026", "h\n1\n"u8.ToArray(), manifest: null);
        var raw = Path.Combine(_data, "kaggle_raw");
        File.CreateSymbolicLink(Path.Combine(raw, "latest"), Path.Combine(raw, "20241026"));
        Directory.CreateDirectory(Path.Combine(raw, "tmp_download"));
        await File.WriteAllTextAsync(Path.Combine(raw, "tmp_download", "dataset.zip.part"), "partial");
        await File.WriteAllTextAsync(Path.Combine(raw, "20241029.zip"), "zip");
        Directory.CreateDirectory(Path.Combine(raw, "20241027"));

        var dryRun = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _data, "--dry-run");
        var migrate = await ToolProcess.RunAsync("--root", _root, "migrate", "--from", _data, "--json");

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains($"skipped {Path.Combine(raw, "latest")}: a symbolic link to", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Contains($"skipped {Path.Combine(raw, "tmp_download")}: a folder whose name is not a YYYYMMDD day", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Contains($"skipped {Path.Combine(raw, "20241029.zip")}: a file, not a day folder", dryRun.StdOut, StringComparison.Ordinal);
        Assert.Contains($"skipped {Path.Combine(raw, "20241027")}: an empty day folder", dryRun.StdOut, StringComparison.Ordinal);
        Assert.True(migrate.ExitCode == 0, migrate.ToString());
        Assert.Equal(["20241026"], Directory.GetDirectories(Path.Combine(_root, "raw")).Select(Path.GetFileName));
        var journal = await File.ReadAllTextAsync(Directory.GetFiles(Path.Combine(_root, "metadata", "migrations")).Single());
        Assert.Equal(4, journal.Split("\"kind\": \"stray\"").Length - 1);
        Assert.Contains("an empty day folder", journal, StringComparison.Ordinal);
    }

    private void WriteDay(string day, byte[] prices, string? manifest)
    {
        var directory = Path.Combine(_data, "kaggle_raw", day);
        Directory.CreateDirectory(directory);
        File.WriteAllBytes(Path.Combine(directory, "prices.csv"), prices);
        if (manifest is not null)
        {
            File.WriteAllText(Path.Combine(directory, "download_manifest.json"), manifest, new UTF8Encoding(false));
        }
    }
}
