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
        foreach (var b in data)
        {
            if (b == (byte)'"')
            {
                // An escaped quote ("") toggles twice, which leaves the state as it was.
                _inQuotes = !_inQuotes;
                _recordHasContent = true;
            }
            else if (b == (byte)'\n' && !_inQuotes)
            {
                if (_recordHasContent)
                {
                    _records++;
                }

                _recordHasContent = false;
            }
            else if (b != (byte)'\r')
            {
                _recordHasContent = true;
            }
        }
    }

    /// <summary>Records after the header line; blank lines are not records.</summary>
    public long DataRows => Math.Max(0, _records + (_recordHasContent ? 1 : 0) - 1);
}
