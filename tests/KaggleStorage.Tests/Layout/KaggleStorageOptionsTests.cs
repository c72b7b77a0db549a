using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Hosting;
using KaggleStorage.Layout;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Tests.Layout;

public sealed class KaggleStorageOptionsTests
{
    [Fact]
    public void Root_resolution_prefers_configuration_then_environment_then_default()
    {
        var environment = new Dictionary<string, string?> { ["KAGGLE_DATA_ROOT"] = "/from/env" };
        string? Env(string name) => environment.GetValueOrDefault(name);

        Assert.Equal("/from/config", StorageRootResolver.Resolve("/from/config", Env));
        Assert.Equal("/from/env", StorageRootResolver.Resolve(null, Env));
        Assert.Equal("/from/env", StorageRootResolver.Resolve("  ", Env));
        Assert.Equal("/data/kaggle", StorageRootResolver.Resolve(null, _ => null));
        Assert.Equal("/data/kaggle", StorageRootResolver.Resolve(string.Empty, _ => string.Empty));
    }

    [Fact]
    public void Configuration_section_binds_the_root_and_the_action_overrides_it()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["KaggleStorage:Root"] = "/mnt/config-root",
                ["KaggleStorage:DatasetId"] = "someone/other-dataset",
            })
            .Build();

        var fromConfig = Resolve(services => services.AddKaggleStorage(configuration));
        var overridden = Resolve(services => services.AddKaggleStorage(configuration, o => o.Root = "/mnt/override"));

        Assert.Equal("/mnt/config-root", fromConfig.Root);
        Assert.Equal("someone/other-dataset", fromConfig.DatasetId);
        Assert.Equal("/mnt/override", overridden.Root);
        Assert.Equal("someone/other-dataset", overridden.DatasetId);
    }

    [Fact]
    public void Relative_root_fails_validation()
    {
        var failure = Validate(new KaggleStorageOptions { Root = "data/kaggle" });

        Assert.Contains("not an absolute path", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/data/kaggle/raw")]
    [InlineData("/data/kaggle/raw/")]
    [InlineData("/data/kaggle/RAW")]
    public void Root_named_raw_is_rejected_with_a_pointer_to_the_store_root(string root)
    {
        var failure = Validate(new KaggleStorageOptions { Root = root });

        Assert.Contains("is a raw area, not a store root", failure, StringComparison.Ordinal);
        Assert.Contains("'/data/kaggle'", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Root_directly_holding_date_folders_is_rejected()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.Directory.CreateDirectory("/jobs/fetch-kaggle/data/kaggle_raw/20241026");

        var failure = Validate(new KaggleStorageOptions { Root = "/jobs/fetch-kaggle/data/kaggle_raw" }, fileSystem);

        Assert.Contains("directly holds the date folder '20241026'", failure, StringComparison.Ordinal);
        Assert.Contains("store root", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Store_root_with_areas_passes()
    {
        var fileSystem = new MockFileSystem();
        fileSystem.Directory.CreateDirectory("/data/kaggle/raw/20241026");

        var result = new KaggleStorageOptionsValidator(fileSystem).Validate(null, new KaggleStorageOptions { Root = "/data/kaggle" });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("no-slash")]
    [InlineData("a/b/c")]
    [InlineData("/slug")]
    [InlineData("owner/")]
    [InlineData("own er/slug")]
    public void Dataset_id_must_be_owner_slash_slug(string datasetId)
    {
        var failure = Validate(new KaggleStorageOptions { Root = "/data/kaggle", DatasetId = datasetId });

        Assert.Contains("DatasetId", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Israel Standard Time")]
    [InlineData("W. Europe Standard Time")]
    public void A_windows_time_zone_id_is_refused_as_the_tool_refuses_it(string timeZone)
    {
        var failure = Validate(new KaggleStorageOptions { Root = "/data/kaggle", TimeZone = timeZone });

        Assert.Contains("is not an IANA time zone id", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("UTC")]
    [InlineData("Asia/Jerusalem")]
    public void An_iana_time_zone_id_is_accepted(string timeZone)
    {
        var result = new KaggleStorageOptionsValidator(new MockFileSystem()).Validate(null, new KaggleStorageOptions { Root = "/data/kaggle", TimeZone = timeZone });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Invalid_options_fail_when_first_resolved_listing_every_problem()
    {
        using var provider = new ServiceCollection()
            .AddSingleton<System.IO.Abstractions.IFileSystem>(new MockFileSystem())
            .AddKaggleStorage(o =>
            {
                o.Root = "relative";
                o.LockStaleAfter = TimeSpan.Zero;
            })
            .BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<KaggleStorageOptions>>().Value);

        Assert.Equal(2, exception.Failures.Count());
    }

    private static KaggleStorageOptions Resolve(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection().AddSingleton<System.IO.Abstractions.IFileSystem>(new MockFileSystem());
        register(services);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<KaggleStorageOptions>>().Value;
    }

    private static string Validate(KaggleStorageOptions options, MockFileSystem? fileSystem = null)
    {
        var result = new KaggleStorageOptionsValidator(fileSystem ?? new MockFileSystem()).Validate(null, options);
        Assert.True(result.Failed);
        return result.FailureMessage;
    }
}
