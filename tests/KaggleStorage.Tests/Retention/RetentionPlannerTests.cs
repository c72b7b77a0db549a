using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Layout;
using KaggleStorage.Retention;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Retention;

public sealed class RetentionPlannerTests
{
    // TestStore's clock stands at 2024-10-27 02:00 UTC.
    private static readonly PartitionDate Today = PartitionDate.Parse("20241027");

    [Theory]
    [InlineData(89, PruneDecision.Keep)]
    [InlineData(90, PruneDecision.Keep)]
    [InlineData(91, PruneDecision.ArchiveThenDelete)]
    [InlineData(365, PruneDecision.ArchiveThenDelete)]
    [InlineData(366, PruneDecision.Delete)]
    public async Task Raw_day_is_kept_through_day_90_and_archived_then_deleted_from_day_91(int age, PruneDecision expected)
    {
        var (store, planner) = Create(keepLast: 0);
        AddRaw(store, Today.AddDays(-age));

        var item = (await planner.PlanAsync()).Items.Single(i => i.Area == StorageArea.Raw);

        Assert.Equal(age, item.AgeDays);
        Assert.Equal(expected, item.Decision);
    }

    [Theory]
    [InlineData(90, PruneDecision.Keep)]
    [InlineData(91, PruneDecision.ArchiveThenDelete)]
    public async Task Processed_day_follows_its_own_boundary(int age, PruneDecision expected)
    {
        var (store, planner) = Create(keepLast: 0);
        store.FileSystem.AddFile($"/data/kaggle/processed/{Today.AddDays(-age)}/load_summary.json", new MockFileData("{}"));

        Assert.Equal(expected, (await planner.PlanAsync()).Items.Single(i => i.Area == StorageArea.Processed).Decision);
    }

    [Theory]
    [InlineData(365, PruneDecision.Keep)]
    [InlineData(366, PruneDecision.Delete)]
    public async Task Archive_is_kept_through_day_365(int age, PruneDecision expected)
    {
        var (store, planner) = Create();
        var date = Today.AddDays(-age);
        store.FileSystem.AddFile($"/data/kaggle/archive/{date}.tar.gz", new MockFileData("0123456789"));
        store.FileSystem.AddFile($"/data/kaggle/archive/{date}.tar.gz.index.json", new MockFileData("{}"));

        var item = (await planner.PlanAsync()).Items.Single(i => i.Area == StorageArea.Archive);

        Assert.Equal(expected, item.Decision);
        Assert.Equal(12, item.Bytes);
    }

    [Theory]
    [InlineData(StorageArea.Reports, "daily/report_{0}.html", 365, PruneDecision.Keep)]
    [InlineData(StorageArea.Reports, "daily/report_{0}.html", 366, PruneDecision.Delete)]
    [InlineData(StorageArea.Metadata, "migrations/{0}T020000Z.json", 366, PruneDecision.Delete)]
    [InlineData(StorageArea.Metadata, "{0}/notes.txt", 366, PruneDecision.Delete)]
    [InlineData(StorageArea.Metadata, "{0}/notes.txt", 300, PruneDecision.Keep)]
    public async Task Reports_and_metadata_are_dated_by_the_date_in_their_name_or_folder(
        StorageArea area, string pattern, int age, PruneDecision expected)
    {
        var (store, planner) = Create();
        var path = $"/data/kaggle/{area.GetFolderName()}/{string.Format(pattern, Today.AddDays(-age))}";
        store.FileSystem.AddFile(path, new MockFileData("x") { LastWriteTime = store.Time.GetUtcNow().UtcDateTime });

        var item = (await planner.PlanAsync()).Items.Single(i => i.Area == area);

        Assert.Equal(path, item.Path);
        Assert.Equal(expected, item.Decision);
    }

    [Fact]
    public async Task Undated_files_fall_back_to_their_last_write_time()
    {
        var (store, planner) = Create();
        store.FileSystem.AddFile("/data/kaggle/reports/old.html", new MockFileData("x") { LastWriteTime = new DateTime(2023, 10, 1, 0, 0, 0, DateTimeKind.Utc) });
        store.FileSystem.AddFile("/data/kaggle/reports/new.html", new MockFileData("x") { LastWriteTime = new DateTime(2024, 10, 1, 0, 0, 0, DateTimeKind.Utc) });

        var items = (await planner.PlanAsync()).Items.Where(i => i.Area == StorageArea.Reports).ToDictionary(i => System.IO.Path.GetFileName(i.Path));

        Assert.Equal(PruneDecision.Delete, items["old.html"].Decision);
        Assert.Contains("last written", items["old.html"].Reason, StringComparison.Ordinal);
        Assert.Equal(PruneDecision.Keep, items["new.html"].Decision);
    }

    [Fact]
    public async Task KeepLast_protects_the_newest_days_whatever_their_age()
    {
        var (store, planner) = Create(keepLast: 3);
        for (var i = 0; i < 5; i++)
        {
            AddRaw(store, Today.AddDays(-200 - i));
        }

        var decisions = (await planner.PlanAsync()).Items.Where(i => i.Area == StorageArea.Raw).OrderBy(i => i.Date).Select(i => i.Decision).ToArray();

        Assert.Equal(
            new[] { PruneDecision.ArchiveThenDelete, PruneDecision.ArchiveThenDelete, PruneDecision.Keep, PruneDecision.Keep, PruneDecision.Keep },
            decisions);
    }

    [Fact]
    public async Task Unknown_entries_are_reported_and_never_planned_for_removal()
    {
        var (store, planner) = Create(keepLast: 0);
        store.FileSystem.Directory.CreateDirectory("/data/kaggle/raw/backup-2019");
        store.FileSystem.Directory.CreateDirectory("/data/kaggle/raw/20191332");
        store.FileSystem.AddFile("/data/kaggle/archive/readme.txt", new MockFileData("x"));

        var plan = (await planner.PlanAsync());

        Assert.Equal(
            new[] { "/data/kaggle/archive/readme.txt", "/data/kaggle/raw/20191332", "/data/kaggle/raw/backup-2019" },
            plan.UnknownEntries);
        Assert.Empty(plan.Items);
    }

    [Fact]
    public async Task Today_comes_from_the_configured_time_zone()
    {
        // 2024-10-26 22:30 UTC is already 2024-10-27 in Jerusalem (UTC+2 then, or +3 in summer time).
        var evening = new DateTimeOffset(2024, 10, 26, 22, 30, 0, TimeSpan.Zero);
        var (store, planner) = Create(keepLast: 0, timeZone: "Asia/Jerusalem", now: evening);
        AddRaw(store, PartitionDate.Parse("20240728"));

        var inJerusalem = (await planner.PlanAsync());
        var (utcStore, utcPlanner) = Create(keepLast: 0, timeZone: "UTC", now: evening);
        AddRaw(utcStore, PartitionDate.Parse("20240728"));

        Assert.Equal("20241027", inJerusalem.Today.ToString());
        Assert.Equal(PruneDecision.ArchiveThenDelete, inJerusalem.Items.Single().Decision);
        Assert.Equal("20241026", (await utcPlanner.PlanAsync()).Today.ToString());
        Assert.Equal(PruneDecision.Keep, (await utcPlanner.PlanAsync()).Items.Single().Decision);
    }

    [Fact]
    public async Task Archive_shorter_than_raw_retention_is_a_warning()
    {
        var (_, planner) = Create(configure: r => r.ArchiveDays = 30);

        Assert.Contains((await planner.PlanAsync()).Warnings, w => w.Contains("archives are kept 30 days", StringComparison.Ordinal));
    }

    [Fact]
    public void Negative_days_fail_validation()
    {
        var options = new RetentionOptions { RawDays = -1, KeepLast = -2 };

        var result = new RetentionOptionsValidator().Validate(null, options);

        Assert.Contains("Retention:RawDays must not be negative", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Retention:KeepLast must not be negative", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_time_zone_fails_validation()
    {
        var result = new KaggleStorageOptionsValidator(new MockFileSystem())
            .Validate(null, new KaggleStorageOptions { Root = "/data/kaggle", TimeZone = "Mars/Olympus" });

        Assert.Contains("'Mars/Olympus' is not an IANA time zone id", result.FailureMessage, StringComparison.Ordinal);
    }

    private static (TestStore Store, RetentionPlanner Planner) Create(
        int keepLast = 7, string timeZone = "UTC", Action<RetentionOptions>? configure = null, DateTimeOffset? now = null)
    {
        var options = new KaggleStorageOptions { Root = TestStore.Root, TimeZone = timeZone };
        var retention = new RetentionOptions { KeepLast = keepLast };
        configure?.Invoke(retention);
        var store = new TestStore(options, now: now, retention: retention);
        var planner = new RetentionPlanner(store.Layout, store.FileSystem, new StoreCalendar(store.Time, Options.Create(options)), Options.Create(retention), store.Archives);
        return (store, planner);
    }

    private static void AddRaw(TestStore store, PartitionDate date) =>
        store.FileSystem.AddFile($"{store.Layout.GetDateDirectory(StorageArea.Raw, date)}/a.csv", new MockFileData("h\n1\n"));
}
