namespace KaggleStorage.Samples.Tests;

/// <summary>A real store root under the temp folder with its five areas, removed after the test.</summary>
public sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Root = Path.Combine(Path.GetTempPath(), "kaggle-storage-samples", Guid.NewGuid().ToString("N")[..12]);
        foreach (var area in new[] { "raw", "processed", "reports", "metadata", "archive" })
        {
            Directory.CreateDirectory(Path.Combine(Root, area));
        }
    }

    public string Root { get; }

    public string Write(string relative, string content)
    {
        var path = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
