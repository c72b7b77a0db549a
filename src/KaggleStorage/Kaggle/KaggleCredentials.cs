namespace KaggleStorage.Kaggle;

/// <summary>A Kaggle user name and API key. The key is never printed: <see cref="ToString"/> leaves it out.</summary>
/// <param name="Username">The Kaggle user name.</param>
/// <param name="Key">The API key.</param>
/// <param name="Origin">Where they were found, e.g. <c>KAGGLE_USERNAME/KAGGLE_KEY</c> or a kaggle.json path.</param>
public sealed record KaggleCredentials(string Username, string Key, string Origin)
{
    /// <inheritdoc />
    public override string ToString() => $"{Username} (from {Origin})";
}
