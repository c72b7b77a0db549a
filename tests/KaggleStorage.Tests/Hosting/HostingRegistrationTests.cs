using System.IO.Abstractions.TestingHelpers;
using System.Runtime.CompilerServices;
using KaggleStorage.Archival;
using KaggleStorage.Hosting;
using KaggleStorage.Kaggle;
using KaggleStorage.Layout;
using KaggleStorage.Locking;
using KaggleStorage.Manifests;
using KaggleStorage.Migration;
using KaggleStorage.Retention;
using KaggleStorage.Status;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Hosting;

public sealed class HostingRegistrationTests
{
    public static TheoryData<Type> PublicServices =>
    [
        typeof(StorageLayout), typeof(StoreCalendar), typeof(ManifestStore), typeof(DownloadManifestVerifier), typeof(StoreLock),
        typeof(IArchiveStore), typeof(ArchiveService), typeof(VerifyService), typeof(ScrubService), typeof(ArchiveRestorer),
        typeof(PruneService), typeof(MigrationService), typeof(RollbackService), typeof(DatasetDownloader),
        typeof(StoreStatusScanner),
    ];

    [Theory]
    [MemberData(nameof(PublicServices))]
    public void Every_public_service_is_built_by_AddKaggleStorage(Type service)
    {
        using var provider = Build(new Dictionary<string, string?>());

        Assert.IsType(service, provider.GetRequiredService(service), exactMatch: false);
    }

    [Theory]
    [InlineData("KaggleStorage:TimeZone", "Israel Standard Time", "TimeZone")]
    [InlineData("KaggleStorage:Retention:RawDays", "-1", "RawDays")]
    [InlineData("KaggleStorage:Health:MaxRawAgeDays", "-1", "MaxRawAgeDays")]
    [InlineData("KaggleStorage:Scrub:CycleDays", "0", "CycleDays")]
    [InlineData("KaggleStorage:Kaggle:MaxRetries", "-1", "MaxRetries")]
    [InlineData("KaggleStorage:Archive:S3:Bucket", "", "Bucket")]
    public void Every_options_section_is_checked_at_start(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?> { [key] = value };
        if (key.StartsWith("KaggleStorage:Archive:", StringComparison.Ordinal))
        {
            settings["KaggleStorage:Archive:Store"] = "s3";
        }

        using var provider = Build(settings);

        // What a host runs before it starts serving (and the tool before any command).
        var exception = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Contains(named, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_S3_store_without_the_S3_package_registered_fails_at_start_with_one_line_naming_the_call()
    {
        using var provider = Build(new Dictionary<string, string?> { ["KaggleStorage:Archive:Store"] = "s3" }, withS3: false);

        var exception = Assert.ThrowsAny<Exception>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        var failure = Assert.Single(Assert.IsType<OptionsValidationException>(exception).Failures);
        Assert.Equal(
            "KaggleStorage:Archive:Store is s3, but the S3 archive store is not registered: "
            + "reference the KaggleStorage.S3 package and call services.AddKaggleStorageS3(configuration).",
            failure);
    }

    [Fact]
    public void The_S3_package_builds_the_S3_store_when_configured_and_stays_unused_otherwise()
    {
        var s3 = new Dictionary<string, string?>
        {
            ["KaggleStorage:Archive:Store"] = "s3",
            ["KaggleStorage:Archive:S3:Bucket"] = "archives",
            ["KaggleStorage:Archive:S3:ServiceUrl"] = "http://127.0.0.1:9/",
        };
        using (var provider = Build(s3))
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            var store = provider.GetRequiredService<IArchiveStore>();
            Assert.Equal(("S3ArchiveStore", "s3://archives/archive/"), (store.GetType().Name, store.Location));
        }

        // No bucket is asked of a host that registers the package but keeps its archives in the folder.
        using (var provider = Build(new Dictionary<string, string?> { ["KaggleStorage:Archive:S3:PartSizeMiB"] = "1" }))
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            Assert.IsType<FileSystemArchiveStore>(provider.GetRequiredService<IArchiveStore>());
        }
    }

    [Fact]
    public void The_tool_is_not_a_friend_of_the_library_and_the_demo_is_not_in_it()
    {
        var library = typeof(StorageLayout).Assembly;

        Assert.DoesNotContain("kaggle-storage", library.GetCustomAttributes(typeof(InternalsVisibleToAttribute), false)
            .Cast<InternalsVisibleToAttribute>().Select(attribute => attribute.AssemblyName));
        Assert.DoesNotContain(library.GetTypes(), type => type.Namespace == "KaggleStorage.Demo");
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings, bool withS3 = true)
    {
        settings.TryAdd("KaggleStorage:Root", "/data/kaggle");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection()
            .AddSingleton<System.IO.Abstractions.IFileSystem>(new MockFileSystem())
            .AddLogging()
            .AddKaggleStorage(configuration);
        if (withS3)
        {
            services.AddKaggleStorageS3(configuration);
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }
}
