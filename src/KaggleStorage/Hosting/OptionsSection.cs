using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace KaggleStorage.Hosting;

/// <summary>How every capability registers its options: bound from its section, checked by its validator at start.</summary>
internal static class OptionsSection
{
    public static OptionsBuilder<TOptions> Add<TOptions, TValidator>(IServiceCollection services, IConfiguration? configuration, string section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        var builder = services.AddOptions<TOptions>();
        if (configuration is not null)
        {
            builder.Bind(configuration.GetSection(section));
        }

        // ValidateOnStart: a host fails before serving, and the tool (through IStartupValidator) before any command.
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return builder;
    }
}
