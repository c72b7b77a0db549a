namespace KaggleStorage.Kaggle;

/// <summary>One zip entry's name as stored.</summary>
/// <param name="Bytes">The name's bytes.</param>
/// <param name="FlaggedUtf8">Whether the entry's general purpose bit 11 says the name is UTF-8.</param>
internal sealed record ZipEntryName(byte[] Bytes, bool FlaggedUtf8);
