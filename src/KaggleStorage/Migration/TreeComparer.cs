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

        var planned = new List<PlannedFile>();
        foreach (var (name, path, size) in files)
        {
            var file = await CompareFileAsync(name, path, size, fileSystem.Path.Combine(destination, Target(name)), missingIsConflict: true, cancellationToken);
            planned.Add(file with { DestinationName = Rename(name) });
        }

        var sourceNames = files.Select(f => Target(f.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in ListFiles(destination).Where(f => !sourceNames.Contains(f.Name) && !tolerateAtDestination.Contains(f.Name)))
        {
            planned.Add(new PlannedFile(extra.Name, 0, MigrationAction.Conflict, "only at the destination"));
        }

        var action = planned.Any(f => f.Action == MigrationAction.Conflict) ? MigrationAction.Conflict : MigrationAction.Skip;
        return (action, planned);
    }

    public async Task<PlannedFile> CompareFileAsync(
        string name, string source, long size, string destination, bool missingIsConflict, CancellationToken cancellationToken)
    {
        if (!fileSystem.File.Exists(destination))
        {
            return missingIsConflict
                ? new PlannedFile(name, size, MigrationAction.Conflict, "missing at the destination, whose day exists")
                : new PlannedFile(name, size, MigrationAction.Copy);
        }

        var there = fileSystem.FileInfo.New(destination).Length;
        if (there != size)
        {
            return new PlannedFile(name, size, MigrationAction.Conflict, $"destination has {there} bytes, source {size}");
        }

        var a = await fingerprinter.ComputeAsync(source, name, cancellationToken);
        var b = await fingerprinter.ComputeAsync(destination, name, cancellationToken);
        return a.Sha256 == b.Sha256
            ? new PlannedFile(name, size, MigrationAction.Skip, "identical at the destination", a.Sha256)
            : new PlannedFile(name, size, MigrationAction.Conflict, "destination differs (same size, other content)");
    }
}
