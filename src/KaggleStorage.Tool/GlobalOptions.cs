using System.CommandLine;

namespace KaggleStorage.Tool;

/// <summary>Options every command accepts.</summary>
internal sealed class GlobalOptions
{
    public Option<string?> Root { get; } = new("--root")
    {
        Description = "Store root. Overrides KaggleStorage:Root (env KaggleStorage__Root), KAGGLE_DATA_ROOT and the default /data/kaggle.",
        Recursive = true,
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log debug detail and print stack traces of errors.",
        Recursive = true,
    };
}
