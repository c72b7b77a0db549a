namespace KaggleStorage.Manifests;

/// <summary>One rule checked in a <see cref="ValidationReport"/>.</summary>
/// <param name="Name">The rule, e.g. <c>price-non-negative</c>.</param>
/// <param name="Status">Its outcome.</param>
/// <param name="Message">A human explanation.</param>
/// <param name="Count">How many rows or files broke the rule.</param>
public sealed record ValidationCheck(string Name, CheckStatus Status, string Message, long Count);
