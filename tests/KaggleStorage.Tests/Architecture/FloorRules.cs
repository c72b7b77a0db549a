using System.Reflection;
using NetArchTest.Rules;

namespace KaggleStorage.Tests.Architecture;

/// <summary>
/// The library's floors (docs/architecture.md) as data: each folder and the folders it may use. A folder that is not
/// listed here has no floor, which is itself a violation, so a new folder has to be placed before it can be built on.
/// </summary>
internal static class FloorRules
{
    private static readonly string[] Bottom = ["Errors", "Layout", "IO"];
    private static readonly string[] Shared = [.. Bottom, "Manifests", "Locking"];
    private static readonly string[] Capabilities = ["Archival", "Retention", "Migration", "Kaggle"];

    public static readonly IReadOnlyDictionary<string, string[]> Library = new Dictionary<string, string[]>
    {
        ["Errors"] = [],
        ["Layout"] = ["Errors"],
        ["IO"] = ["Errors", "Layout"],
        ["Manifests"] = Bottom,
        ["Locking"] = Bottom,
        ["Archival"] = Shared,
        // The declared seams between capabilities, left to right: prune archives and verifies a day before it
        // deletes it; migration warns of what the retention policy would delete of the days it brings in.
        ["Retention"] = [.. Shared, "Archival"],
        ["Migration"] = [.. Shared, "Retention"],
        ["Kaggle"] = Shared,
        ["Status"] = [.. Shared, .. Capabilities],
        ["Hosting"] = [.. Shared, .. Capabilities, "Status"],
    };

    /// <summary>
    /// Every type under <paramref name="root"/> that uses a folder its own folder may not use, as
    /// "<c>Folder: Type uses a forbidden folder</c>", plus every type in a folder the rules do not place.
    /// </summary>
    public static IReadOnlyList<string> Violations(Assembly assembly, string root, IReadOnlyDictionary<string, string[]> mayUse)
    {
        var violations = new List<string>();
        foreach (var (folder, allowed) in mayUse)
        {
            var forbidden = mayUse.Keys.Except(allowed).Where(other => other != folder).Select(other => $"{root}.{other}").ToArray();
            if (forbidden.Length == 0)
            {
                continue;
            }

            var result = Types.InAssembly(assembly)
                .That().ResideInNamespace($"{root}.{folder}")
                .ShouldNot().HaveDependencyOnAny(forbidden)
                .GetResult();
            if (!result.IsSuccessful)
            {
                violations.AddRange(result.FailingTypeNames.Select(type => $"{folder}: {type} uses one of {string.Join(", ", forbidden)}"));
            }
        }

        var placed = mayUse.Keys.Select(folder => $"{root}.{folder}").ToArray();
        violations.AddRange(assembly.GetTypes()
            .Where(type => type.Namespace is { } ns && (ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal)))
            .Where(type => !placed.Any(folder => type.Namespace == folder || type.Namespace!.StartsWith(folder + ".", StringComparison.Ordinal)))
            .Select(type => $"{type.FullName} is in a folder with no floor"));
        return violations;
    }
}
