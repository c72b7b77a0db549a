using KaggleStorage.Hosting;
using KaggleStorage.Samples.EtlWorker;

// "--once" is a bare switch (the CronJob form); everything else is ordinary host configuration.
var once = args.Contains("--once", StringComparer.Ordinal);
var builder = Host.CreateApplicationBuilder(args.Where(arg => arg != "--once").ToArray());
builder.Services.AddKaggleStorage(builder.Configuration);
builder.Services.AddOptions<EtlOptions>()
    .Bind(builder.Configuration.GetSection("Etl"))
    .PostConfigure(options => options.Once |= once);
if (once)
{
    // A run that stops by itself has no use for "Press Ctrl+C to shut down." in a CronJob's log.
    builder.Services.Configure<ConsoleLifetimeOptions>(options => options.SuppressStatusMessages = true);
}

builder.Services.AddSingleton<PartitionLoader>();
builder.Services.AddHostedService<EtlWorkerService>();
await builder.Build().RunAsync();
