using System.IO.Abstractions;
using KaggleStorage.IO;
using KaggleStorage.Manifests;

namespace KaggleStorage.Migration;

/// <summary>
/// Decides, file by file, whether a source tree is absent from its destination (copy), already there identical
/// (skip), or there and different (conflict) — the decision migration and rollback make before writing.
/// </summary>
internal sealed class TreeComparer(IFileSystem fileSystem, FileFingerprinter fingerprinter)
{
    private readonly DayContentsReader _reader = new(fileSystem);

    /// <summary>
    /// Files under a folder under the store's rule of what a day holds (regular files at any depth, hidden names
    /// included), relative with <c>/</c>, ordinal order; names in <paramref name="exclude"/> left out.
    /// </summary>
    public IReadOnlyList<(string Name, string Path, long Size)> ListFiles(string directory, ISet<string>? exclude = null) =>
        ListFiles(_reader.Read(directory), exclude);

    /// <summary>What a folder holds: its files as <see cref="ListFiles(string, ISet{string})"/> lists them, and its problems.</summary>
    public DayContents Read(string directory) => _reader.Read(directory);

    public static IReadOnlyList<(string Name, string Path, long Size)> ListFiles(DayContents contents, ISet<string>? exclude = null) =>
        contents.Files
            .Where(file => exclude is null || !exclude.Contains(file.Name))
            .Select(file => (file.Name, file.Path, file.SizeBytes))
            .ToList();

    public async Task<(MigrationAction Action, IReadOnlyList<PlannedFile> Files)> CompareDirectoryAsync(
        string source,
        string destination,
        ISet<string>? exclude,
        ISet<string> tolerateAtDestination,
        CancellationToken cancellationToken,
        IReadOnlyDictionary<string, string>? renames = null)
    {
        string Target(string name) => renames is not null && renames.TryGetValue(name, out var renamed) ? renamed : name;
        string? Rename(string name) => Target(name) is var target && target != name ? target : null;

        var contents = _reader.Read(source);
        if (contents.Problems.Count > 0)
        {
            return (MigrationAction.Refused, contents.Problems.Select(problem => new PlannedFile(problem, 0, MigrationAction.Refused, "never copied or followed")).ToList());
        }

        var files = ListFiles(contents, exclude);
        if (!fileSystem.Directory.Exists(destination))
        {
            return (MigrationAction.Copy, files.Select(f => new PlannedFile(f.Name, f.Size, MigrationAction.Copy, DestinationName: Rename(f.Name))).ToList());
        }

        // Source files under the names they have at the destination, against what the destination day holds.
        var comparison = (await FileSetComparer.CompareAsync(
            files.Select(f => new FileSetEntry(Target(f.Name), f.Size, Path: f.Path)),
            ListFiles(destination).Select(f => new FileSetEntry(f.Name, f.Size, Path: f.Path)),
            HashAsync,
            cancellationToken)).ThrowIfUnreadable();
        // Two source files under one destination name (a legacy day holding both manifests) differ as one name.
        var differences = comparison.Differences.Where(d => d.Kind != FileDifferenceKind.Extra)
            .DistinctBy(d => d.Name, StringComparer.Ordinal).ToDictionary(d => d.Name, StringComparer.Ordinal);
        var same = comparison.Same.ToDictionary(pair => pair.Expected.Name, pair => pair.Expected.Sha256, StringComparer.Ordinal);
        var planned = files
            .Select(f => Decide(f.Name, f.Size, differences.GetValueOrDefault(Target(f.Name)), same.GetValueOrDefault(Target(f.Name)), missingIsConflict: true)
                with { DestinationName = Rename(f.Name) })
            .ToList();
        planned.AddRange(comparison.Extra
            .Where(extra => !tolerateAtDestination.Contains(extra.Name))
            .Select(extra => new PlannedFile(extra.Name, 0, MigrationAction.Conflict, "only at the destination")));

        var action = planned.Any(f => f.Action == MigrationAction.Conflict) ? MigrationAction.Conflict : MigrationAction.Skip;
        return (action, planned);
    }

    public async Task<PlannedFile> CompareFileAsync(
        string name, string source, long size, string destination, bool missingIsConflict, CancellationToken cancellationToken)
    {
        var comparison = (await FileSetComparer.CompareAsync(
            [new FileSetEntry(name, size, Path: source)],
            fileSystem.File.Exists(destination) ? [new FileSetEntry(name, fileSystem.FileInfo.New(destination).Length, Path: destination)] : [],
            HashAsync,
            cancellationToken)).ThrowIfUnreadable();
        return Decide(name, size, comparison.Differences is [var difference] ? difference : null, comparison.Same is [var pair] ? pair.Expected.Sha256 : null, missingIsConflict);
    }

    /// <summary>The plan for one source file from how it compared with its destination.</summary>
    private static PlannedFile Decide(string name, long size, FileDifference? difference, string? sha256, bool missingIsConflict) => difference?.Kind switch
    {
        null => new PlannedFile(name, size, MigrationAction.Skip, "identical at the destination", sha256),
        FileDifferenceKind.Missing => missingIsConflict
            ? new PlannedFile(name, size, MigrationAction.Conflict, "missing at the destination, whose day exists")
            : new PlannedFile(name, size, MigrationAction.Copy),
        FileDifferenceKind.SizeDiffers => new PlannedFile(name, size, MigrationAction.Conflict, $"destination has {difference.Found.SizeBytes} bytes, source {size}"),
        _ => new PlannedFile(name, size, MigrationAction.Conflict, "destination differs (same size, other content)"),
    };

    private Task<string> HashAsync(FileSetEntry file, CancellationToken cancellationToken) =>
        fingerprinter.HashAsync(file.Path!, cancellationToken);
}
