namespace KaggleStorage.IntegrationTests.Infrastructure;

/// <summary>
/// A small tmpfs mounted for one test, to try a full disk for real. Mounting needs root (CI runs as root); where it
/// cannot be mounted, <see cref="TryMount"/> returns null and the test says so in its output.
/// </summary>
public sealed class SmallVolume : IDisposable
{
    private SmallVolume(string path) => Path = path;

    public string Path { get; }

    public static SmallVolume? TryMount(string path, int megabytes)
    {
        Directory.CreateDirectory(path);
        var mount = Shell.RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path).GetAwaiter().GetResult();
        return mount.ExitCode == 0 ? new SmallVolume(path) : null;
    }

    /// <summary>Mounts, or returns null where no tmpfs can be mounted; as root (as CI runs), not mounting is a failure.</summary>
    public static SmallVolume? MountUnlessUnprivileged(string path, int megabytes)
    {
        var volume = TryMount(path, megabytes);
        Xunit.Assert.True(volume is not null || Environment.UserName != "root", "running as root, yet no tmpfs could be mounted");
        return volume;
    }

    public void Dispose() => Shell.RunAsync("umount", "-l", Path).GetAwaiter().GetResult();
}
