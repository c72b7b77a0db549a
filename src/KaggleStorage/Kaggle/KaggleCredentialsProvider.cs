using System.IO.Abstractions;
using System.Text.Json;
using KaggleStorage.Errors;
using Microsoft.Extensions.Logging;

namespace KaggleStorage.Kaggle;

/// <summary>
/// Finds Kaggle credentials in the order the official client reads them: an API token first
/// (<c>KAGGLE_API_TOKEN</c>, the token itself or a path to a file holding it; then <c>access_token</c> or
/// <c>access_token.txt</c> in <c>KAGGLE_CONFIG_DIR</c>, then in <c>~/.kaggle/</c>), then the legacy key
/// (<c>KAGGLE_USERNAME</c> and <c>KAGGLE_KEY</c>; then <c>kaggle.json</c> in <c>KAGGLE_CONFIG_DIR</c>, else
/// <c>~/.kaggle/</c>, else on Linux <c>$XDG_CONFIG_HOME/kaggle/</c> or <c>~/.config/kaggle/</c>). Warns when a
/// credentials file is readable by group or others, as what is inside is a password.
/// </summary>
internal sealed class KaggleCredentialsProvider
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
    /// <exception cref="StorageInputException">None are configured; the message names every place looked at.</exception>
    public KaggleCredentials Resolve()
    {
        var looked = new List<string>();
        var token = _environment("KAGGLE_API_TOKEN");
        looked.Add("KAGGLE_API_TOKEN");
        if (!string.IsNullOrWhiteSpace(token))
        {
            // The variable holds the token, or the path of a file that does.
            return _fileSystem.File.Exists(token.Trim())
                ? ReadTokenFile(token.Trim())
                : KaggleCredentials.FromToken(token.Trim(), "KAGGLE_API_TOKEN");
        }

        foreach (var directory in TokenDirectories())
        {
            foreach (var name in new[] { "access_token", "access_token.txt" })
            {
                var path = _fileSystem.Path.Combine(directory, name);
                looked.Add(path);
                if (_fileSystem.File.Exists(path))
                {
                    return ReadTokenFile(path);
                }
            }
        }

        var username = _environment("KAGGLE_USERNAME");
        var key = _environment("KAGGLE_KEY");
        looked.Add("KAGGLE_USERNAME/KAGGLE_KEY");
        if (!string.IsNullOrWhiteSpace(username) && !string.IsNullOrWhiteSpace(key))
        {
            return new KaggleCredentials(username, key, "KAGGLE_USERNAME/KAGGLE_KEY");
        }

        foreach (var directory in KaggleJsonDirectories())
        {
            var path = _fileSystem.Path.Combine(directory, "kaggle.json");
            looked.Add(path);
            if (_fileSystem.File.Exists(path))
            {
                return ReadConfigFile(path);
            }
        }

        throw new StorageInputException(
            $"No Kaggle credentials. Create an API token on kaggle.com (Settings → API → Generate New Token) and set KAGGLE_API_TOKEN, or put it in ~/.kaggle/access_token; looked at: {string.Join(", ", looked.Distinct(StringComparer.Ordinal))}.");
    }

    // Unlike kaggle.json, Kaggle's own clients read ~/.kaggle/access_token even when KAGGLE_CONFIG_DIR is set, so
    // a token there is found either way; the configured folder is asked first.
    private IEnumerable<string> TokenDirectories()
    {
        var configured = _environment("KAGGLE_CONFIG_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            yield return configured;
        }

        var home = _environment("HOME");
        if (!string.IsNullOrWhiteSpace(home))
        {
            var inHome = _fileSystem.Path.Combine(home, ".kaggle");
            if (!string.Equals(inHome, configured, StringComparison.Ordinal))
            {
                yield return inHome;
            }
        }
    }

    private IEnumerable<string> KaggleJsonDirectories()
    {
        var configured = _environment("KAGGLE_CONFIG_DIR");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            // An explicit configuration folder is the only place, as with the official client.
            yield return configured;
            yield break;
        }

        var home = _environment("HOME");
        if (!string.IsNullOrWhiteSpace(home))
        {
            yield return _fileSystem.Path.Combine(home, ".kaggle");
        }

        if (OperatingSystem.IsLinux())
        {
            var xdg = _environment("XDG_CONFIG_HOME");
            if (!string.IsNullOrWhiteSpace(xdg))
            {
                yield return _fileSystem.Path.Combine(xdg, "kaggle");
            }
            else if (!string.IsNullOrWhiteSpace(home))
            {
                yield return _fileSystem.Path.Combine(home, ".config", "kaggle");
            }
        }
    }

    private KaggleCredentials ReadTokenFile(string path)
    {
        WarnIfReadableByOthers(path);
        var token = _fileSystem.File.ReadAllText(path).Trim();
        return token.Length == 0
            ? throw new StorageInputException($"{path} is empty; it should hold the API token from kaggle.com (Settings → API).")
            : KaggleCredentials.FromToken(token, path);
    }

    private void WarnIfReadableByOthers(string path)
    {
        if (!OperatingSystem.IsWindows())
        {
            var mode = _fileSystem.File.GetUnixFileMode(path);
            if ((mode & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) != 0)
            {
                _logger.LogWarning("{Path} is readable by group or others; restrict it with: chmod 600 {Path}", path, path);
            }
        }
    }

    private KaggleCredentials ReadConfigFile(string path)
    {
        WarnIfReadableByOthers(path);

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
