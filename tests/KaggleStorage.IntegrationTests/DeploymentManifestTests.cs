using System.Text.RegularExpressions;
using KaggleStorage.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Docker is not available on the build machines, so the deployment files are checked by parsing them: the same
/// claim, mount path and root everywhere, uid 1000, no overlapping CronJobs, and commands the tool really has.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private const string Claim = "kaggle-data-pvc";
    private const string MountPath = "/data/kaggle";
    private static readonly string Deploy = Repository.Combine("samples", "deploy");

    public static TheoryData<string> KubernetesFiles =>
        [.. Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").Select(path => Path.GetFileName(path)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(KubernetesFiles))]
    public void Every_object_lives_in_the_super_zol_namespace(string file)
    {
        foreach (var document in Load(Path.Combine(Deploy, "k8s", file)))
        {
            var kind = Scalar(document, "kind");
            var ns = kind == "Namespace" ? Scalar(document, "metadata", "name") : Scalar(document, "metadata", "namespace");
            Assert.True(ns == "super-zol", $"{file}: {kind} is in namespace '{ns}'");
        }
    }

    [Theory]
    [MemberData(nameof(KubernetesFiles))]
    public void Every_pod_mounts_the_shared_claim_at_the_root_as_uid_1000(string file)
    {
        foreach (var pod in Load(Path.Combine(Deploy, "k8s", file)).SelectMany(PodSpecs))
        {
            var claims = Sequence(pod, "volumes").Select(v => Scalar(v, "persistentVolumeClaim", "claimName")).ToList();
            Assert.Equal([Claim], claims);
            Assert.Equal("1000", Scalar(pod, "securityContext", "runAsUser"));
            Assert.Equal("1000", Scalar(pod, "securityContext", "fsGroup"));
            foreach (var container in Sequence(pod, "containers").Concat(Sequence(pod, "initContainers")))
            {
                Assert.Contains(Sequence(container, "volumeMounts"), m => Scalar(m, "mountPath") == MountPath);
                Assert.Contains(Sequence(container, "env"), e => Scalar(e, "name") == "KAGGLE_DATA_ROOT" && Scalar(e, "value") == MountPath);
            }
        }
    }

    [Fact]
    public void Claim_is_read_write_many_of_the_planned_size()
    {
        var pvc = Load(Path.Combine(Deploy, "k8s", "pvc.yaml")).Single();

        Assert.Equal(Claim, Scalar(pvc, "metadata", "name"));
        Assert.Equal(["ReadWriteMany"], Sequence(pvc, "spec", "accessModes").Select(n => ((YamlScalarNode)n).Value));
        Assert.Equal("1Ti", Scalar(pvc, "spec", "resources", "requests", "storage"));
    }

    [Fact]
    public void Cron_jobs_never_overlap_and_the_fetch_runs_at_two()
    {
        var cronJobs = Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").SelectMany(Load).Where(d => Scalar(d, "kind") == "CronJob").ToList();

        Assert.True(cronJobs.Count >= 3);
        Assert.All(cronJobs, job => Assert.Equal("Forbid", Scalar(job, "spec", "concurrencyPolicy")));
        var fetch = cronJobs.Single(job => Scalar(job, "metadata", "name") == "fetch-kaggle");
        Assert.Equal("0 2 * * *", Scalar(fetch, "spec", "schedule"));
    }

    [Fact]
    public async Task Every_command_the_manifests_run_is_a_command_the_tool_has()
    {
        var help = await ToolProcess.RunAsync("--help");
        var commands = CommandLines().Matches(help.StdOut).Select(m => m.Groups[1].Value).ToHashSet();
        Assert.Contains("download", commands);

        var used = new List<string>();
        foreach (var document in Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").SelectMany(Load))
        {
            foreach (var container in PodSpecs(document).SelectMany(p => Sequence(p, "containers").Concat(Sequence(p, "initContainers"))))
            {
                var command = Sequence(container, "command").Select(n => ((YamlScalarNode)n).Value!).ToList();
                var args = Sequence(container, "args").Select(n => ((YamlScalarNode)n).Value!).ToList();
                if (command.Count == 0)
                {
                    used.Add(args[0]);
                }
                else
                {
                    Assert.Equal("dotnet", command[0]);
                    AssertSampleExists(command[1]);
                }
            }
        }

        var compose = Load(Path.Combine(Deploy, "docker-compose.yml")).Single();
        used.AddRange(Mapping(compose, "services").Children.Values
            .Select(service => Sequence(service, "command").Select(n => ((YamlScalarNode)n).Value!).FirstOrDefault())
            .OfType<string>());

        Assert.Contains("download", used);
        Assert.Contains("prune", used);
        Assert.All(used, command => Assert.True(commands.Contains(command), $"'{command}' is not a kaggle-storage command"));
    }

    [Fact]
    public void Compose_services_share_the_named_volume_at_the_root()
    {
        var compose = Load(Path.Combine(Deploy, "docker-compose.yml")).Single();

        Assert.True(Mapping(compose, "volumes").Children.ContainsKey(new YamlScalarNode("kaggle_data")));
        foreach (var (name, service) in Mapping(compose, "services").Children)
        {
            var volumes = Sequence(service, "volumes").Select(n => ((YamlScalarNode)n).Value!).ToList();
            Assert.Contains(volumes, v => v.StartsWith("kaggle_data:/data/kaggle", StringComparison.Ordinal));
            Assert.Equal(MountPath, Scalar(service, "environment", "KAGGLE_DATA_ROOT"));
        }
    }

    [Fact]
    public void The_fetch_job_takes_an_api_token_first_and_every_credential_from_the_secret_it_documents()
    {
        var job = Load(Path.Combine(Deploy, "k8s", "cronjob-fetch.yaml")).Single();
        var secret = Load(Path.Combine(Deploy, "k8s", "secret.yaml")).Single();
        var env = PodSpecs(job).SelectMany(pod => Sequence(pod, "containers")).SelectMany(c => Sequence(c, "env")).ToList();
        var fromSecret = env.Where(e => Find(e, "valueFrom", "secretKeyRef") is not null).ToList();

        Assert.Equal(["KAGGLE_API_TOKEN", "KAGGLE_USERNAME", "KAGGLE_KEY"], fromSecret.Select(e => Scalar(e, "name")));
        Assert.All(fromSecret, e =>
        {
            Assert.Equal(Scalar(secret, "metadata", "name"), Scalar(e, "valueFrom", "secretKeyRef", "name"));
            Assert.Equal(Scalar(e, "name"), Scalar(e, "valueFrom", "secretKeyRef", "key"));

            // The secret holds a token or a legacy pair, never both needed: a missing key must not stop the pod.
            Assert.Equal("true", Scalar(e, "valueFrom", "secretKeyRef", "optional"));
        });
        Assert.Equal(["KAGGLE_API_TOKEN"], Mapping(secret, "stringData").Children.Keys.Select(k => ((YamlScalarNode)k).Value));
    }

    [Fact]
    public void Dockerfile_builds_projects_that_exist_and_runs_as_uid_1000()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Deploy, "Dockerfile"));

        var projects = Regex.Matches(dockerfile, @"dotnet publish (\S+\.csproj)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, projects.Count);
        Assert.All(projects, project => Assert.True(File.Exists(Repository.Combine(project)), project));
        Assert.Contains("USER 1000:1000", dockerfile, StringComparison.Ordinal);
    }

    private static void AssertSampleExists(string dll)
    {
        var name = Path.GetFileNameWithoutExtension(dll);
        Assert.True(File.Exists(Repository.Combine("samples", name, name + ".csproj")), $"{dll} is built from no sample project");
    }

    [GeneratedRegex(@"^\s{2}([a-z]+)\b", RegexOptions.Multiline)]
    private static partial Regex CommandLines();

    private static List<YamlNode> Load(string path)
    {
        var stream = new YamlStream();
        using var reader = new StreamReader(path);
        stream.Load(reader);
        return stream.Documents.Select(d => d.RootNode).ToList();
    }

    private static IEnumerable<YamlNode> PodSpecs(YamlNode node)
    {
        if (node is YamlMappingNode mapping)
        {
            if (mapping.Children.ContainsKey(new YamlScalarNode("containers")))
            {
                yield return mapping;
            }

            foreach (var child in mapping.Children.Values.SelectMany(PodSpecs))
            {
                yield return child;
            }
        }
        else if (node is YamlSequenceNode sequence)
        {
            foreach (var child in sequence.Children.SelectMany(PodSpecs))
            {
                yield return child;
            }
        }
    }

    private static YamlNode? Find(YamlNode node, params string[] path)
    {
        foreach (var key in path)
        {
            if (node is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            node = next;
        }

        return node;
    }

    private static string? Scalar(YamlNode node, params string[] path) => (Find(node, path) as YamlScalarNode)?.Value;

    private static IEnumerable<YamlNode> Sequence(YamlNode node, params string[] path) =>
        (Find(node, path) as YamlSequenceNode)?.Children ?? [];

    private static YamlMappingNode Mapping(YamlNode node, params string[] path) => (YamlMappingNode)Find(node, path)!;
}
