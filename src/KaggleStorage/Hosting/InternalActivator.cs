using System.Reflection;
using Microsoft.Extensions.DependencyInjection;

namespace KaggleStorage.Hosting;

/// <summary>
/// Builds a public service whose constructor is internal (it takes machinery the library keeps to itself), from
/// the container: the dependency injection container itself only calls public constructors.
/// </summary>
internal static class InternalActivator
{
    public static T Create<T>(IServiceProvider provider)
        where T : class
    {
        var constructor = typeof(T).GetConstructors(BindingFlags.Instance | BindingFlags.NonPublic).Single(c => c.IsAssembly);
        var arguments = constructor.GetParameters()
            .Select(parameter => parameter.HasDefaultValue
                ? provider.GetService(parameter.ParameterType) ?? parameter.DefaultValue
                : provider.GetRequiredService(parameter.ParameterType))
            .ToArray();

        // Unwrapped, so a constructor's own exception reaches the caller as itself.
        return (T)constructor.Invoke(BindingFlags.DoNotWrapExceptions, binder: null, arguments, culture: null);
    }
}
