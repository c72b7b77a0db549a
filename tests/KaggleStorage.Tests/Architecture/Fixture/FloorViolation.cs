// A deliberate floor violation for the architecture tests: a Layout type that uses a Manifests type.
namespace KaggleStorage.Tests.Architecture.Fixture.Manifests
{
    internal sealed record Document(string Name);
}

namespace KaggleStorage.Tests.Architecture.Fixture.Layout
{
    internal static class DayNamer
    {
        public static string NameOf(Fixture.Manifests.Document document) => document.Name;
    }
}
