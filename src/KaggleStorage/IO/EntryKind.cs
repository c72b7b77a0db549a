namespace KaggleStorage.IO;

/// <summary>What a directory entry is, read without following symbolic links.</summary>
internal enum EntryKind
{
    Missing,
    RegularFile,
    Directory,
    SymbolicLink,
    Fifo,
    Socket,
    CharacterDevice,
    BlockDevice,
    Unknown,
}
