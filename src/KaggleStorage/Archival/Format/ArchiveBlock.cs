namespace KaggleStorage.Archival;

/// <summary>One independently inflatable deflate block of an archive: where its bytes are in the .tar.gz and where its output lands in the tar stream.</summary>
internal readonly record struct ArchiveBlock(long CompressedOffset, long CompressedLength, long UncompressedOffset, long UncompressedLength);
