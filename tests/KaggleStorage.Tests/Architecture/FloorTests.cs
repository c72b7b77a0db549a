using System.Reflection;
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
}
