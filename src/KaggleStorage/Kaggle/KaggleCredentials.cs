namespace KaggleStorage.Kaggle;

/// <summary>
/// What Kaggle is asked with: an API token (sent as <c>Authorization: Bearer</c>), or the legacy user name and key
/// (HTTP Basic). The secret is never printed: <see cref="ToString"/> leaves it out.
/// </summary>
/// <param name="Username">The Kaggle user name; for an API token, a description instead.</param>
/// <param name="Key">The API key, or the API token.</param>
/// <param name="Origin">Where they were found, e.g. <c>KAGGLE_API_TOKEN</c>, <c>KAGGLE_USERNAME/KAGGLE_KEY</c> or a file path.</param>
internal sealed record KaggleCredentials(string Username, string Key, string Origin)
{
    /// <summary>Whether <see cref="Key"/> is an API token (Bearer) rather than a legacy key (Basic).</summary>
    public bool IsApiToken { get; init; }

    /// <summary>Credentials from an API token.</summary>
    public static KaggleCredentials FromToken(string token, string origin) =>
        new("API token", token, origin) { IsApiToken = true };

    /// <inheritdoc />
    public override string ToString() => $"{Username} (from {Origin})";
}
