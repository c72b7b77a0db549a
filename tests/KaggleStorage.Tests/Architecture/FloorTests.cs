using System.Reflection;
using System.Runtime.CompilerServices;
using NetArchTest.Rules;
using KaggleStorage.Layout;

namespace KaggleStorage.Tests.Architecture;

public sealed class FloorTests
{
    private static readonly Assembly Library = typeof(PartitionDate).Assembly;

    [Fact]
    public void No_folder_of_the_library_uses_one_above_it_or_a_capability_beside_it()
    {
        var violations = FloorRules.Violations(Library, "KaggleStorage", FloorRules.Library);

        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Every_floor_of_the_rules_is_a_folder_of_the_library()
    {
        var folders = Library.GetTypes()
            .Select(type => type.Namespace)
            .OfType<string>()
            .Where(ns => ns.StartsWith("KaggleStorage.", StringComparison.Ordinal))
            .Select(ns => ns.Split('.')[1])
            .ToHashSet();

        Assert.Subset(folders, FloorRules.Library.Keys.ToHashSet());
    }

    [Fact]
    public void A_forbidden_reference_is_reported_by_type()
    {
        // The fixture below breaks the same rules the library must keep: a bottom-floor type that reads a document.
        var violations = FloorRules.Violations(typeof(FloorTests).Assembly, "KaggleStorage.Tests.Architecture.Fixture", FloorRules.Library);

        var violation = Assert.Single(violations);
        Assert.StartsWith("Layout: KaggleStorage.Tests.Architecture.Fixture.Layout.DayNamer uses", violation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_type_in_a_folder_with_no_floor_is_reported()
    {
        var violations = FloorRules.Violations(
            typeof(FloorTests).Assembly,
            "KaggleStorage.Tests.Architecture.Fixture",
            new Dictionary<string, string[]> { ["Manifests"] = [] });

        Assert.Contains("KaggleStorage.Tests.Architecture.Fixture.Layout.DayNamer is in a folder with no floor", violations);
    }

    [Fact]
    public void The_tool_is_a_client_of_the_public_api_not_a_friend_assembly()
    {
        var friends = Library.GetCustomAttributes<InternalsVisibleToAttribute>().Select(friend => friend.AssemblyName).ToList();

        Assert.NotEmpty(friends);
        Assert.DoesNotContain("kaggle-storage", friends);
    }

    [Fact]
    public void The_only_friend_outside_the_tests_is_the_first_party_S3_package()
    {
        // The S3 store implements IArchiveStore, whose object operations are internal; any other assembly that is
        // given the library's internals must be argued for in docs/architecture.md and added here.
        var friends = Library.GetCustomAttributes<InternalsVisibleToAttribute>().Select(friend => friend.AssemblyName).Order(StringComparer.Ordinal);

        Assert.Equal(["KaggleStorage.Benchmarks", "KaggleStorage.IntegrationTests", "KaggleStorage.S3", "KaggleStorage.Tests"], friends);
    }

    [Fact]
    public void The_library_has_no_reference_to_the_S3_package_or_the_AWS_SDK()
    {
        // Services that keep archives on the volume must not pull in AWSSDK.S3: the S3 store comes in by registration.
        var references = Library.GetReferencedAssemblies().Select(reference => reference.Name ?? string.Empty).ToList();

        Assert.DoesNotContain(references, name => name.StartsWith("AWSSDK", StringComparison.Ordinal) || name == "KaggleStorage.S3");
    }

    [Fact]
    public void Hosting_builds_services_without_reflection()
    {
        var result = Types.InAssembly(Library)
            .That().ResideInNamespace("KaggleStorage.Hosting")
            .ShouldNot().HaveDependencyOnAny(
                "System.Activator",
                "System.Reflection.ConstructorInfo",
                "System.Reflection.MethodBase",
                "Microsoft.Extensions.DependencyInjection.ActivatorUtilities")
            .GetResult();

        Assert.True(result.IsSuccessful, string.Join(Environment.NewLine, result.FailingTypeNames ?? []));
    }
}
