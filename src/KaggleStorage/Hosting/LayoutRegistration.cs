using System.IO.Abstractions;
using KaggleStorage.Layout;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>The bottom floor: <see cref="KaggleStorageOptions"/>, the file system, the clock, the layout and the calendar.</summary>
internal static class LayoutRegistration
{
    public static IServiceCollection AddStoreLayout(
        this IServiceCollection services, IConfiguration? configuration, Action<KaggleStorageOptions>? configure)
    {
        var options = OptionsSection.Add<KaggleStorageOptions, KaggleStorageOptionsValidator>(services, configuration, KaggleStorageOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.PostConfigure(o => o.Root = StorageRootResolver.Resolve(o.Root, Environment.GetEnvironmentVariable));

        // Only when none is registered, so tests can register MockFileSystem and FakeTimeProvider first.
        services.TryAddSingleton<IFileSystem, FileSystem>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddLogging();
        services.TryAddSingleton(p => new StorageLayout(p.GetRequiredService<IOptions<KaggleStorageOptions>>(), p.GetRequiredService<IFileSystem>()));
        services.TryAddSingleton(p => new StoreCalendar(p.GetRequiredService<TimeProvider>(), p.GetRequiredService<IOptions<KaggleStorageOptions>>()));
        return services;
    }
}
