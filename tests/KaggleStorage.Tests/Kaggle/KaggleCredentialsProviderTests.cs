using System.IO.Abstractions.TestingHelpers;
using KaggleStorage.Errors;
using KaggleStorage.Kaggle;
using Microsoft.Extensions.Logging.Abstractions;

namespace KaggleStorage.Tests.Kaggle;

public sealed class KaggleCredentialsProviderTests
{
    private readonly MockFileSystem _fileSystem = new();
    private readonly Dictionary<string, string?> _environment = new() { ["HOME"] = "/home/etl" };

    [Fact]
    public void Environment_variables_win_over_kaggle_json()
    {
        _environment["KAGGLE_USERNAME"] = "env-user";
        _environment["KAGGLE_KEY"] = "env-key";
        _fileSystem.AddFile("/home/etl/.kaggle/kaggle.json", new MockFileData("{\"username\":\"file-user\",\"key\":\"file-key\"}"));

        var credentials = Provider().Resolve();

        Assert.Equal(("env-user", "env-key"), (credentials.Username, credentials.Key));
    }

    [Fact]
    public void Kaggle_config_dir_wins_over_the_home_folder()
    {
        _environment["KAGGLE_CONFIG_DIR"] = "/etc/kaggle";
        _fileSystem.AddFile("/etc/kaggle/kaggle.json", new MockFileData("{\"username\":\"config-user\",\"key\":\"k1\"}"));
        _fileSystem.AddFile("/home/etl/.kaggle/kaggle.json", new MockFileData("{\"username\":\"home-user\",\"key\":\"k2\"}"));

        Assert.Equal("config-user", Provider().Resolve().Username);
    }

    [Fact]
    public void Home_kaggle_json_is_the_last_resort()
    {
        _environment["KAGGLE_USERNAME"] = "only-user-no-key";
        _fileSystem.AddFile("/home/etl/.kaggle/kaggle.json", new MockFileData("{\"username\":\"home-user\",\"key\":\"k2\"}"));

        var credentials = Provider().Resolve();

        Assert.Equal("home-user", credentials.Username);
        Assert.Equal("/home/etl/.kaggle/kaggle.json", credentials.Origin);
    }

    [Fact]
    public void Missing_credentials_say_where_they_were_looked_for()
    {
        var exception = Assert.Throws<StorageInputException>(() => Provider().Resolve());

        Assert.Contains("KAGGLE_USERNAME/KAGGLE_KEY", exception.Message, StringComparison.Ordinal);
        Assert.Contains("/home/etl/.kaggle/kaggle.json", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_api_token_in_the_environment_wins_over_everything_and_is_a_bearer_token()
    {
        _environment["KAGGLE_API_TOKEN"] = " KGAT_abc \n";
        _environment["KAGGLE_USERNAME"] = "env-user";
        _environment["KAGGLE_KEY"] = "env-key";
        _fileSystem.AddFile("/home/etl/.kaggle/access_token", new MockFileData("KGAT_file"));

        var credentials = Provider().Resolve();

        Assert.True(credentials.IsApiToken);
        Assert.Equal(("KGAT_abc", "KAGGLE_API_TOKEN"), (credentials.Key, credentials.Origin));
        Assert.DoesNotContain("KGAT_abc", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Kaggle_api_token_may_name_a_file_holding_the_token()
    {
        _fileSystem.AddFile("/run/secrets/kaggle", new MockFileData("KGAT_from_file\n"));
        _environment["KAGGLE_API_TOKEN"] = "/run/secrets/kaggle";

        var credentials = Provider().Resolve();

        Assert.Equal(("KGAT_from_file", "/run/secrets/kaggle"), (credentials.Key, credentials.Origin));
    }

    [Theory]
    [InlineData("access_token")]
    [InlineData("access_token.txt")]
    public void An_access_token_file_wins_over_the_legacy_key(string name)
    {
        _environment["KAGGLE_USERNAME"] = "env-user";
        _environment["KAGGLE_KEY"] = "env-key";
        _fileSystem.AddFile("/home/etl/.kaggle/" + name, new MockFileData("KGAT_home"));

        var credentials = Provider().Resolve();

        Assert.True(credentials.IsApiToken);
        Assert.Equal("KGAT_home", credentials.Key);
    }

    [Fact]
    public void An_access_token_in_the_home_folder_is_found_when_kaggle_config_dir_is_set()
    {
        // Kaggle's own clients read ~/.kaggle/access_token whatever KAGGLE_CONFIG_DIR says.
        _environment["KAGGLE_CONFIG_DIR"] = "/etc/kaggle";
        _fileSystem.AddFile("/home/etl/.kaggle/access_token", new MockFileData("KGAT_home"));

        var credentials = Provider().Resolve();

        Assert.Equal(("KGAT_home", "/home/etl/.kaggle/access_token"), (credentials.Key, credentials.Origin));
    }

    [Fact]
    public void An_access_token_in_kaggle_config_dir_wins_over_the_home_folder()
    {
        _environment["KAGGLE_CONFIG_DIR"] = "/etc/kaggle";
        _fileSystem.AddFile("/etc/kaggle/access_token", new MockFileData("KGAT_config"));
        _fileSystem.AddFile("/home/etl/.kaggle/access_token", new MockFileData("KGAT_home"));

        Assert.Equal("KGAT_config", Provider().Resolve().Key);
    }

    [Fact]
    public void Kaggle_json_is_found_in_the_xdg_config_folder_last()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        _environment["XDG_CONFIG_HOME"] = "/home/etl/.cfg";
        _fileSystem.AddFile("/home/etl/.cfg/kaggle/kaggle.json", new MockFileData("{\"username\":\"xdg-user\",\"key\":\"k\"}"));

        Assert.Equal("xdg-user", Provider().Resolve().Username);
    }

    [Theory]
    [InlineData("{\"username\":\"u\"}")]
    [InlineData("not json at all, with a secret-key inside")]
    public void Broken_kaggle_json_is_bad_input_without_echoing_its_content(string content)
    {
        _fileSystem.AddFile("/home/etl/.kaggle/kaggle.json", new MockFileData(content));

        var exception = Assert.Throws<StorageInputException>(() => Provider().Resolve());

        Assert.Contains("/home/etl/.kaggle/kaggle.json", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-key", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_key_is_not_part_of_the_text_form()
    {
        var credentials = new KaggleCredentials("user", "very-secret", "KAGGLE_USERNAME/KAGGLE_KEY");

        Assert.DoesNotContain("very-secret", credentials.ToString(), StringComparison.Ordinal);
    }

    private KaggleCredentialsProvider Provider() =>
        new(_fileSystem, NullLogger<KaggleCredentialsProvider>.Instance, name => _environment.GetValueOrDefault(name));
}
