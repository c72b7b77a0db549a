using Microsoft.Extensions.Options;

namespace KaggleStorage.Archival;

/// <summary>Checks <see cref="ScrubOptions"/> when the host starts.</summary>
internal sealed class ScrubOptionsValidator : IValidateOptions<ScrubOptions>
{
    public ValidateOptionsResult Validate(string? name, ScrubOptions options) =>
        options.CycleDays < 1
            ? ValidateOptionsResult.Fail($"KaggleStorage:Scrub:CycleDays must be at least 1 (is {options.CycleDays}).")
            : ValidateOptionsResult.Success;
}
