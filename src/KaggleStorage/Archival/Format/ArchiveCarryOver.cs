using System.Formats.Tar;
using KaggleStorage.Errors;

namespace KaggleStorage.Archival;

/// <summary>
/// The files of a day's existing archive that a new archive of the day must carry over because they are no longer
/// live (prune removed them, or they were deleted): an archive is only ever replaced by one that holds every file
/// the old one held. Their bytes are read out of the old archive as the new one is written, in one forward pass
/// when asked for in archive order (this library writes archives sorted by path) and from a fresh pass otherwise,
/// and every byte is checked against the SHA-256 recorded for it, so a damaged old archive fails the run instead
/// of being copied forward.
/// </summary>
internal sealed class ArchiveCarryOver : IAsyncDisposable
{
    private readonly IArchiveStore? _store;
    private readonly string _name;
    private readonly string _location;
    private Stream? _source;
    private Stream? _gzip;
    private TarReader? _reader;

    private ArchiveCarryOver(IArchiveStore? store, string name, string location, IReadOnlyList<ArchiveIndexEntry> entries)
    {
        _store = store;
        _name = name;
        _location = location;
        Entries = entries;
    }

    /// <summary>Nothing to carry over.</summary>
    public static ArchiveCarryOver None { get; } = new(null, string.Empty, string.Empty, []);

    /// <summary>The files carried over, as the old archive records them.</summary>
    public IReadOnlyList<ArchiveIndexEntry> Entries { get; }

    /// <summary>Carries <paramref name="entries"/> over from the archive <paramref name="name"/> of <paramref name="store"/>.</summary>
    public static ArchiveCarryOver From(IArchiveStore store, string name, IReadOnlyList<ArchiveIndexEntry> entries) =>
        entries.Count == 0 ? None : new(store, name, store.Describe(name), entries);

    /// <summary>
    /// Opens the bytes of one carried file; the returned stream must be read to its end and then passed to
    /// <see cref="EnsureIntact"/> before the next file is opened.
    /// </summary>
    public async Task<HashingReadStream> OpenAsync(ArchiveIndexEntry entry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        try
        {
            for (var pass = 0; pass < 2; pass++)
            {
                _reader ??= await OpenReaderAsync(cancellationToken);
                while (await _reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } found)
                {
                    if (found.EntryType is TarEntryType.RegularFile or TarEntryType.V7RegularFile
                        && string.Equals(TarGzScanner.NormalizeName(found.Name), entry.Path, StringComparison.Ordinal))
                    {
                        if (found.Length != entry.SizeBytes)
                        {
                            throw Damaged(entry, $"it holds {found.Length} bytes, not the {entry.SizeBytes} recorded for it");
                        }

                        return new HashingReadStream(found.DataStream ?? Stream.Null, entry.SizeBytes, leaveOpen: true);
                    }
                }

                // Asked for out of archive order (an archive written by another tool): start a fresh pass.
                await CloseReaderAsync();
            }
        }
        catch (Exception exception) when (exception is InvalidDataException or EndOfStreamException or FormatException
            or InvalidOperationException or ArgumentOutOfRangeException or OverflowException)
        {
            throw new InvalidDataException(
                $"The existing archive {_location} could not be read to carry {entry.Path} over into its replacement ({exception.Message}); nothing was changed.",
                exception);
        }

        throw Damaged(entry, "the archive does not hold it");
    }

    /// <summary>Checks that a carried file was read whole and has the bytes recorded for it.</summary>
    public void EnsureIntact(HashingReadStream data, ArchiveIndexEntry entry)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(entry);
        if (data.BytesRead != entry.SizeBytes)
        {
            throw Damaged(entry, $"{data.BytesRead} of its {entry.SizeBytes} bytes could be read");
        }

        if (!string.Equals(data.GetHashHex(), entry.Sha256, StringComparison.OrdinalIgnoreCase))
        {
            throw Damaged(entry, "its bytes do not match the SHA-256 recorded for it");
        }
    }

    public async ValueTask DisposeAsync() => await CloseReaderAsync();

    private StorageMismatchException Damaged(ArchiveIndexEntry entry, string why) =>
        new($"{entry.Path} could not be carried over from the existing archive {_location}: {why}; nothing was changed.");

    private async Task<TarReader> OpenReaderAsync(CancellationToken cancellationToken)
    {
        _source = await _store!.OpenReadAsync(_name, cancellationToken);
        _gzip = ArchiveFormat.OpenTarStream(_source, leaveOpen: false);
        return new TarReader(_gzip, leaveOpen: true);
    }

    private async Task CloseReaderAsync()
    {
        if (_reader is not null)
        {
            await _reader.DisposeAsync();
            _reader = null;
        }

        if (_gzip is not null)
        {
            await _gzip.DisposeAsync();
            _gzip = null;
        }

        if (_source is not null)
        {
            await _source.DisposeAsync();
            _source = null;
        }
    }
}
