using System.Text.RegularExpressions;
using KaggleStorage.IntegrationTests.Infrastructure;
using YamlDotNet.RepresentationModel;

namespace KaggleStorage.IntegrationTests;

/// <summary>
/// Docker is not available on the build machines, so the deployment files are checked by parsing them: the same
/// claim, mount path and root everywhere, the image's own user, no overlapping CronJobs, commands the tool really
/// has, one tagged image that a cluster with a local copy does not pull, and a context without build output.
/// </summary>
public sealed partial class DeploymentManifestTests
{
    private const string Claim = "kaggle-data-pvc";
    private const string MountPath = "/data/kaggle";

    // The uid and gid of the `app` user that the official .NET 8+ images create ($APP_UID).
    private const string AppUid = "1654";
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
    public void Every_pod_mounts_the_shared_claim_at_the_root_as_the_images_app_user(string file)
    {
        foreach (var pod in Load(Path.Combine(Deploy, "k8s", file)).SelectMany(PodSpecs))
        {
            var claims = Sequence(pod, "volumes").Select(v => Scalar(v, "persistentVolumeClaim", "claimName")).ToList();
            Assert.Equal([Claim], claims);
            Assert.Equal(AppUid, Scalar(pod, "securityContext", "runAsUser"));
            Assert.Equal(AppUid, Scalar(pod, "securityContext", "runAsGroup"));
            Assert.Equal(AppUid, Scalar(pod, "securityContext", "fsGroup"));
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
    public void Dockerfile_builds_projects_that_exist_on_the_official_images_and_runs_as_their_app_user()
    {
        var lines = File.ReadAllLines(Path.Combine(Deploy, "Dockerfile"))
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToList();
        var dockerfile = string.Join('\n', lines);

        var projects = Regex.Matches(dockerfile, @"dotnet publish (\S+\.csproj)").Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(3, projects.Count);
        Assert.All(projects, project => Assert.True(File.Exists(Repository.Combine(project)), project));

        var bases = lines.Where(line => line.StartsWith("FROM ", StringComparison.Ordinal)).Select(line => line.Split(' ')[1]).ToList();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/aspnet:10.0"], bases);

        // The images already have uid 1000 (Ubuntu's `ubuntu`) and their own `app` user: creating another fails the build.
        Assert.DoesNotMatch(@"\b(groupadd|useradd|adduser|addgroup)\b", dockerfile);
        var finalStage = lines.Skip(lines.FindLastIndex(line => line.StartsWith("FROM ", StringComparison.Ordinal))).ToList();
        Assert.Equal("USER $APP_UID", finalStage.Last(line => line.StartsWith("USER ", StringComparison.Ordinal)));
        Assert.Contains(finalStage, line => line.Contains($"chown \"$APP_UID:$APP_UID\" {MountPath}", StringComparison.Ordinal));
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_and_local_state()
    {
        var ignored = File.ReadAllLines(Repository.Combine(".dockerignore"))
            .Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#')).ToHashSet(StringComparer.Ordinal);

        foreach (var pattern in new[] { "**/bin/", "**/obj/", "**/node_modules/", ".git/" })
        {
            Assert.Contains(pattern, ignored);
        }

        // The sources the Dockerfile publishes must stay in.
        Assert.DoesNotContain(ignored, pattern => pattern is "src/" or "samples/" or "*.csproj" or "**/*.cs");
    }

    [Fact]
    public void Every_image_is_one_tagged_name_that_a_node_with_a_local_copy_does_not_pull()
    {
        var images = new List<string>();
        foreach (var document in Directory.GetFiles(Path.Combine(Deploy, "k8s"), "*.yaml").SelectMany(Load))
        {
            foreach (var container in PodSpecs(document).SelectMany(p => Sequence(p, "containers").Concat(Sequence(p, "initContainers"))))
            {
                images.Add(Scalar(container, "image")!);
                Assert.Equal("IfNotPresent", Scalar(container, "imagePullPolicy"));
            }
        }

        var compose = Load(Path.Combine(Deploy, "docker-compose.yml")).Single();
        images.AddRange(Mapping(compose, "services").Children.Values.Select(service => Scalar(service, "image")!));

        Assert.NotEmpty(images);
        var image = Assert.Single(images.Distinct(StringComparer.Ordinal));
        Assert.Matches(@"^kaggle-storage:\d+\.\d+\.\d+$", image);

        // The tag is the version the packages are built with, so the image and the tool inside it are one release.
        var version = Regex.Match(File.ReadAllText(Repository.Combine("Directory.Build.props")), "<VersionPrefix>([^<]+)</VersionPrefix>").Groups[1].Value;
        Assert.Equal($"kaggle-storage:{version}", image);

        // The page says how to build, tag and push that very image.
        var page = File.ReadAllText(Repository.Combine("docs", "deployment.md"));
        Assert.Contains($"docker build -f samples/deploy/Dockerfile -t {image} .", page, StringComparison.Ordinal);
        Assert.Matches($@"docker push \S+/{Regex.Escape(image)}", page);
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
