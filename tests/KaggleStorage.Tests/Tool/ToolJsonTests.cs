using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using KaggleStorage.Archival;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Migration;
using KaggleStorage.Tool.Rendering;

namespace KaggleStorage.Tests.Tool;

/// <summary>What a script reading the tool's <c>--json</c> meets: one enum casing, and text as people wrote it.</summary>
public sealed class ToolJsonTests
{
    public static TheoryData<Type> PublicEnums()
    {
        var data = new TheoryData<Type>();
        foreach (var type in typeof(StoreLock).Assembly.GetExportedTypes().Where(type => type.IsEnum))
        {
            data.Add(type);
        }

        return data;
    }

    [Fact]
    public void The_library_has_public_enums_to_check()
    {
        Assert.NotEmpty(PublicEnums());
    }

    [Theory]
    [MemberData(nameof(PublicEnums))]
    public void Every_public_enum_is_written_in_camel_case(Type type)
    {
        var fields = type.GetFields(BindingFlags.Public | BindingFlags.Static);
        Assert.NotEmpty(fields);
        foreach (var field in fields)
        {
            var name = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name;
            // A value may keep the word an on-disk document already uses (the journal's "partition" for a day),
            // but every value is named on purpose and in camel case.
            Assert.True(
                name is not null && name == JsonNamingPolicy.CamelCase.ConvertName(name),
                $"{type.Name}.{field.Name} is written as '{name ?? field.Name}'");
        }
    }

    [Fact]
    public void Status_json_writes_the_lock_as_state_holder_and_reason_in_words()
    {
        var holder = new LockHolder("pod-a", 42, "archive", new DateTimeOffset(2024, 10, 26, 2, 0, 0, TimeSpan.Zero), "token");
        var status = new LockReading(LockState.Held, holder, null).ToStatus();

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(status, ToolJsonContext.Output.Options));

        // Named on purpose: the state keeps its word, and the holder is one line a person or a script can show.
        Assert.Equal(["state", "holder", "reason"], document.RootElement.EnumerateObject().Select(property => property.Name));
        Assert.Equal("held", document.RootElement.GetProperty("state").GetString());
        Assert.Equal("pod-a pid 42 (archive) since 2024-10-26 02:00:00Z", document.RootElement.GetProperty("holder").GetString());
        Assert.Equal("free", new LockReading(LockState.Free, null, null).ToStatus().State);
    }

    [Fact]
    public void Migrate_json_has_the_plan_totals_and_one_word_per_entry_not_the_plan_records()
    {
        var plan = new MigrationPlan("/legacy", "/store", [], [], []) { RetentionNotes = ["3 of the 3 migrated days …"] };
        var result = new MigrationResult(MigrationService.Operation, dryRun: false, plan, "/store/metadata/migrations/x.json",
        [
            new JournalEntry(JournalEntryKind.Day, "20241026", JournalOutcome.Copied, [new ManifestFile("a.csv", 1, "00", 1)], SourceDeleted: true),
            new JournalEntry(JournalEntryKind.Reports, "weekly.md", JournalOutcome.Conflict, []),
        ],
        []);

        using var document = JsonDocument.Parse(JsonSerializer.Serialize(result, ToolJsonContext.Output.MigrationResult));

        // Named on purpose: scripts read these; the plan's day and file records and the journal's entries with
        // their hashes are in the journal file at journalPath, not here.
        Assert.Equal(
            ["operation", "dryRun", "source", "destination", "filesToCopy", "bytesToCopy", "conflicts", "nothingToDo",
             "retentionNotes", "journalPath", "outcomes", "sourcesDeleted", "problems", "succeeded"],
            document.RootElement.EnumerateObject().Select(property => property.Name));
        var outcomes = document.RootElement.GetProperty("outcomes");
        Assert.Equal("copied", outcomes.GetProperty("20241026").GetString());
        Assert.Equal("conflict", outcomes.GetProperty("reports/weekly.md").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("sourcesDeleted").GetInt32());
    }

    [Theory]
    [InlineData("age 5 ≤ 90 days > 3", "age 5 ≤ 90 days > 3")]
    [InlineData("'20241399' is not a day & <b>", "'20241399' is not a day & <b>")]
    [InlineData("מחירון שופרסל", "מחירון שופרסל")]
    [InlineData("file 😀.csv", "file 😀.csv")]
    [InlineData("quote \" and \\ backslash", "quote \\\" and \\\\ backslash")]
    [InlineData("line\nbreak\ttab", "line\\nbreak\\ttab")]
    [InlineData("bell \u0007 del \u007f c1 \u0085 separator \u2028", "bell \\u0007 del \\u007F c1 \\u0085 separator \\u2028")]
    public void Printable_text_is_written_as_itself_and_controls_escaped(string text, string expected)
    {
        var json = JsonSerializer.Serialize(new ErrorDocument(text, 2), ToolJsonContext.Output.ErrorDocument);

        Assert.Contains($"\"error\": \"{expected}\"", json, StringComparison.Ordinal);
        Assert.Equal(text, JsonDocument.Parse(json).RootElement.GetProperty("error").GetString());
    }

    [Fact]
    public void A_lone_surrogate_is_escaped_not_written_as_broken_text()
    {
        var json = JsonSerializer.Serialize(new ErrorDocument("bad \ud800 half", 2), ToolJsonContext.Output.ErrorDocument);

        Assert.DoesNotContain('\ud800', json);
        JsonDocument.Parse(json).Dispose();
    }

    [Fact]
    public void Archive_and_scrub_json_keep_their_fields_in_order_and_each_status_as_its_word()
    {
        var day = PartitionDate.Parse("20241026");
        var run = new ArchiveRunResult([new ArchiveOutcome(day, ArchiveStatus.Refreshed, "/a/20241026.tar.gz", 10, 4, 2) { CarriedOver = 1 }]);
        using var archived = JsonDocument.Parse(JsonSerializer.Serialize(run, ToolJsonContext.Output.ArchiveRunResult));
        var outcome = archived.RootElement.GetProperty("outcomes")[0];

        // The fields a machine reader has always seen, in the order it has seen them.
        Assert.Equal(
            ["date", "status", "archiveLocation", "sourceBytes", "archiveBytes", "files", "error", "carriedOver"],
            outcome.EnumerateObject().Select(property => property.Name));
        Assert.Equal("refreshed", outcome.GetProperty("status").GetString());
        Assert.False(archived.RootElement.GetProperty("hasFailures").GetBoolean());

        var plan = new ScrubPlan([new PlannedScrub(day, "/a/20241026.tar.gz", 4, null)], 1, 30, 0);
        var scrub = new ScrubResult(plan, [new ScrubOutcome(day, ScrubStatus.Missing, "/a/20241026.tar.gz", "/a/20241026.tar.gz.index.json", 0, ["gone"], DateTimeOffset.UnixEpoch)], "/m/scrub.json");
        using var scrubbed = JsonDocument.Parse(JsonSerializer.Serialize(scrub, ToolJsonContext.Output.ScrubResult));
        var read = scrubbed.RootElement.GetProperty("archives")[0];

        Assert.Equal(
            ["date", "status", "archiveLocation", "indexPath", "entriesChecked", "problems", "verifiedAtUtc", "failed"],
            read.EnumerateObject().Select(property => property.Name));
        Assert.Equal("missing", read.GetProperty("status").GetString());
        Assert.True(read.GetProperty("failed").GetBoolean());
    }
}
