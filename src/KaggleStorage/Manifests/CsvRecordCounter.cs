namespace KaggleStorage.Manifests;

/// <summary>
/// Counts CSV records across buffers without parsing fields: a line break inside double quotes (an item name
/// with a newline) does not end a record, and a last line without a line break still counts.
/// </summary>
internal sealed class CsvRecordCounter
{
    private long _records;
    private bool _inQuotes;
    private bool _recordHasContent;

    public void Add(ReadOnlySpan<byte> data)
    {
        // Jump between the only bytes that matter; everything else just marks the record as non-empty.
        while (!data.IsEmpty)
        {
            var next = _inQuotes ? data.IndexOf((byte)'"') : data.IndexOfAny((byte)'"', (byte)'\n');
            if (next < 0)
            {
                _recordHasContent |= HasContent(data);
                return;
            }

            _recordHasContent |= HasContent(data[..next]);
            if (data[next] == (byte)'"')
            {
                // An escaped quote ("") toggles twice, which leaves the state as it was.
                _inQuotes = !_inQuotes;
                _recordHasContent = true;
            }
            else
            {
                if (_recordHasContent)
                {
                    _records++;
                }

                _recordHasContent = false;
            }

            data = data[(next + 1)..];
        }
    }

    private static bool HasContent(ReadOnlySpan<byte> data) => data.IndexOfAnyExcept((byte)'\r', (byte)'\n') >= 0;

    /// <summary>Records after the header line; blank lines are not records.</summary>
    public long DataRows => Math.Max(0, _records + (_recordHasContent ? 1 : 0) - 1);
}
