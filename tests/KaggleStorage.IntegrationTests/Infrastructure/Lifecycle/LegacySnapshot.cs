namespace KaggleStorage.IntegrationTests.Infrastructure.Lifecycle;

/// <summary>
/// The legacy folder outside the store as the model sees it after a step: every file of <c>kaggle_raw/</c>
/// (<c>kaggle_raw/D/name</c>, escaped where the name is not UTF-8 → SHA-256), listed as bytes.
/// </summary>
internal sealed record LegacySnapshot(IReadOnlyDictionary<string, string> Files, IReadOnlySet<string> NonUtf8, bool Exists)
{
    public static LegacySnapshot Read(string legacyData)
    {
        var kaggleRaw = Path.Combine(legacyData, "kaggle_raw");
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var nonUtf8 = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (shown, path, utf8) in ByteNames.Files(kaggleRaw))
        {
            files["kaggle_raw/" + shown] = StoreSnapshot.Hash(ByteNames.ReadAll(path));
            if (!utf8)
            {
                nonUtf8.Add("kaggle_raw/" + shown);
            }
        }

        return new LegacySnapshot(files, nonUtf8, Directory.Exists(kaggleRaw));
    }

    /// <summary>The day of a <c>kaggle_raw/D/…</c> path.</summary>
    public static string DayOf(string path) => path.Split('/')[1];

    /// <summary>Where migrate publishes a legacy file: <c>kaggle_raw/D/x</c> → <c>raw/D/x</c>.</summary>
    public static string StorePath(string path) => "raw/" + path["kaggle_raw/".Length..];

    public IEnumerable<string> Days => Files.Keys.Select(DayOf).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    public IEnumerable<KeyValuePair<string, string>> FilesOf(string day) => Files.Where(file => DayOf(file.Key) == day);
}
