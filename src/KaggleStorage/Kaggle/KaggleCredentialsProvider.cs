using System.IO.Abstractions;
using System.Text.Json;
using KaggleStorage.Errors;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Finds Kaggle credentials the way Kaggle's own client does: <c>KAGGLE_USERNAME</c> and <c>KAGGLE_KEY</c>, else
/// <c>kaggle.json</c> in <c>KAGGLE_CONFIG_DIR</c> or <c>~/.kaggle/</c>. Warns when that file is readable by group
/// or others, as the key inside is a password.
/// </summary>
public sealed class KaggleCredentialsProvider
{
    private readonly IFileSystem _fileSystem;
    private readonly ILogger<KaggleCredentialsProvider> _logger;
    private readonly Func<string, string?> _environment;

    /// <summary>Creates the provider over the process environment.</summary>
    public KaggleCredentialsProvider(IFileSystem fileSystem, ILogger<KaggleCredentialsProvider> logger)
        : this(fileSystem, logger, Environment.GetEnvironmentVariable)
    {
    }

    internal KaggleCredentialsProvider(IFileSystem fileSystem, ILogger<KaggleCredentialsProvider> logger, Func<string, string?> environment)
    {
        _fileSystem = fileSystem;
        _logger = logger;
        _environment = environment;
    }

    /// <summary>Resolves the credentials.</summary>
    /// <exception cref="StorageInputException">None are configured; the message says where they were looked for.</exception>
    public KaggleCredentials Resolve()
    {
        var username = _environment("KAGGLE_USERNAME");
        var key = _environment("KAGGLE_KEY");
        if (!string.IsNullOrWhiteSpace(username) && !string.IsNullOrWhiteSpace(key))
        {
            return new KaggleCredentials(username, key, "KAGGLE_USERNAME/KAGGLE_KEY");
        }

        var path = ConfigFilePath();
        if (path is not null && _fileSystem.File.Exists(path))
        {
            return ReadConfigFile(path);
        }

        throw new StorageInputException(
            $"No Kaggle credentials: set KAGGLE_USERNAME and KAGGLE_KEY, or put kaggle.json (from kaggle.com → Settings → API) in {path ?? "$KAGGLE_CONFIG_DIR or ~/.kaggle/"}.");
    }

    private string? ConfigFilePath()
    {
        var directory = _environment("KAGGLE_CONFIG_DIR");
        if (string.IsNullOrWhiteSpace(directory))
        {
            var home = _environment("HOME");
            directory = string.IsNullOrWhiteSpace(home) ? null : _fileSystem.Path.Combine(home, ".kaggle");
        }

        return directory is null ? null : _fileSystem.Path.Combine(directory, "kaggle.json");
    }

    private KaggleCredentials ReadConfigFile(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = _fileSystem.File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            {
                _logger.LogWarning("{Path} is readable by group or others; restrict it with: chmod 600 {Path}", path, path);
            }
        }

        try
        {
            using var document = JsonDocument.Parse(_fileSystem.File.ReadAllBytes(path));
            var username = document.RootElement.TryGetProperty("username", out var u) ? u.GetString() : null;
            var key = document.RootElement.TryGetProperty("key", out var k) ? k.GetString() : null;
            if (string.IsNullOrWhiteSpace(username) || string.IsNullOrWhiteSpace(key))
            {
                throw new StorageInputException($"{path} needs both \"username\" and \"key\".");
            }

            return new KaggleCredentials(username, key, path);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // The parser's message could quote the file, and the file holds the key.
            throw new StorageInputException($"{path} is not valid JSON of the form {{\"username\": \"...\", \"key\": \"...\"}}.");
        }
    }
}
