using System.Text;
using System.Text.Json;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Samples.Tests;

/// <summary>Days archived on the volume by the API host's own services, and damage done to their archives.</summary>
internal static class ArchivedDays
{
    /// <summary>A CSV of about <paramref name="length"/> bytes that deflates poorly, so it spans several 1 MiB blocks.</summary>
    public static string BigCsv(int length)
    {
        var random = new Random(20241020);
        var text = new StringBuilder("chainid,storeid,itemcode,itemprice\n", length + 64);
        while (text.Length < length)
        {
            text.Append("7290027600007,").Append(random.Next(1, 999)).Append(',')
                .Append(random.NextInt64(7290000000000, 7299999999999)).Append(',')
                .Append(random.Next(0, 99999) / 100.0).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Archives the day with the host's own archive service, then removes its live folder.</summary>
    public static async Task ArchiveAndRemoveAsync(IServiceProvider services, string root, string date)
    {
        var archiving = services.GetRequiredService<ArchiveService>();
        var run = await archiving.ExecuteAsync(await archiving.PlanAsync([PartitionDate.Parse(date)]));
        Assert.False(run.HasFailures, string.Join("; ", run.Outcomes.Select(o => o.Error)));
        Directory.Delete(Path.Combine(root, "raw", date), recursive: true);
    }

    /// <summary>Flips one compressed byte in the middle of the last block that holds the file's bytes.</summary>
    public static void CorruptLastBlockOf(string root, string date, string path)
    {
        var archive = Path.Combine(root, "archive", $"{date}.tar.gz");
        var bytes = File.ReadAllBytes(archive);
        var start = LastBlockStart(File.ReadAllText(archive + ".index.json"), path);
        bytes[start] = InvalidBlockType(bytes[start]);
        File.WriteAllBytes(archive, bytes);
    }

    /// <summary>
    /// A deflate block header made to name the reserved block type: inflating the block fails whatever follows, so
    /// the damage is always met where the file's bytes are read. A byte flipped inside a block is not enough: where the
    /// block holds other entries too (a small file's block holds tar headers), it can decode quietly to other bytes of
    /// those and leave the file's own intact.
    /// </summary>
    public static byte InvalidBlockType(byte header) => (byte)(header | 0b110);

    /// <summary>
    /// The archive offset of the last block that holds the file's bytes. Every block starts on a byte boundary with a
    /// deflate block header of its own.
    /// </summary>
    public static int LastBlockStart(string indexJson, string path)
    {
        using var index = JsonDocument.Parse(indexJson);
        var entry = index.RootElement.GetProperty("entries").EnumerateArray().Single(e => e.GetProperty("path").GetString() == path);
        var end = entry.GetProperty("dataOffset").GetInt64() + entry.GetProperty("sizeBytes").GetInt64();
        var block = index.RootElement.GetProperty("blocks").EnumerateArray()
            .Select(b => b.EnumerateArray().Select(n => n.GetInt64()).ToArray())
            .Last(b => b[2] < end);
        return checked((int)block[0]);
    }
}
