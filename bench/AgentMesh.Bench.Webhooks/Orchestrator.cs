using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using AgentMesh.Grains.Deliveries;
using AgentMesh.Server.Hosting;
using AgentMesh.Server.Pipeline;
using AgentMesh.Storage;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Storage.Postgres;
using AgentMesh.Storage.Sqlite;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentMesh.Bench.Webhooks;

/// <summary>
/// Hosts the real webhook endpoint on Kestrel (127.0.0.1) over each store, and drives it from a separate
/// load-generator process at each rate. Prints one table row per (store, rate).
/// </summary>
internal static class Orchestrator
{
    private const string Secret = "bench-webhook-secret";
    private static readonly int[] Rates = [50, 200];
    private static string? s_postgresConnectionString;

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 10;
        var stores = args.Length > 1 ? args[1].Split(',') : ["grains-sqlite", "grains-postgres"];
        using var work = new TempDirectory("agentmesh-bench-webhooks");
        var payload = WritePayload(work);

        Console.WriteLine($"Webhook ack latency, {seconds:0} s per rate after a 3 s warm-up, load from a separate process over loopback");
        Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        Console.WriteLine();
        Console.WriteLine("| store | offered rate (/s) | sent | 202 | failed | p50 (ms) | p99 (ms) | max (ms) | server p50 (ms) | server p99 (ms) | throughput (/s) | load avg |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var storeName in stores)
        {
            // The node's inbox: a delivery grain per delivery on an Orleans silo whose grain storage and
            // reminders are on that database (grains-sqlite: one node; grains-postgres: a fleet's silo).
            if (!storeName.StartsWith("grains-", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Unknown store '{storeName}': use grains-sqlite or grains-postgres.");
            }
            await using var store = await OpenStoreAsync(storeName["grains-".Length..], work);
            await store.MigrateAsync();
            await using var node = await StartSiloNodeAsync(store, work);
            foreach (var rate in Rates)
            {
                node.ServerTimes.Clear();
                var result = await RunLoadProcessAsync(node.Url, rate, seconds, payload);
                // The generator's warm-up deliveries come first; keep the server times of the measured ones.
                var server = node.ServerTimes.ToArray()[^result.Sent..];
                Array.Sort(server);
                var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "?";
                Console.WriteLine(FormattableString.Invariant(
                    $"| {storeName} | {rate} | {result.Sent} | {result.Accepted} | {result.Failed} | {result.P50Ms:0.00} | {result.P99Ms:0.00} | {result.MaxMs:0.00} | {Percentile(server, 0.5):0.00} | {Percentile(server, 0.99):0.00} | {result.ThroughputPerSecond:0.0} | {load} |"));
            }
        }
        return 0;
    }

    private static async Task<IAgentMeshStore> OpenStoreAsync(string name, TempDirectory work)
    {
        switch (name)
        {
            case "sqlite":
                return new SqliteStore(new SqliteStoreOptions { DatabasePath = work.Combine("bench.db") }, TimeProvider.System, NullLoggerFactory.Instance);
            case "postgres":
                var connectionString = Environment.GetEnvironmentVariable("AGENTMESH_BENCH_POSTGRES") is { Length: > 0 } given
                    ? given
                    : await PostgresServer.Shared.CreateDatabaseAsync();
                s_postgresConnectionString = connectionString;
                return new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System, NullLoggerFactory.Instance);
            default:
                throw new ArgumentException($"Unknown store '{name}': use sqlite or postgres.");
        }
    }

    /// <summary>A real issues.opened payload from @octokit/webhooks-examples (about 11.6 KB).</summary>
    private static string WritePayload(TempDirectory work)
    {
        var index = Path.Combine(RepoPaths.RequireNpmPackage("@octokit/webhooks-examples"), "api.github.com", "index.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(index));
        var example = document.RootElement.EnumerateArray()
            .First(e => e.GetProperty("name").GetString() == "issues")
            .GetProperty("examples").EnumerateArray()
            .First(e => e.GetProperty("action").GetString() == "opened");
        var path = work.Combine("issues-opened.json");
        File.WriteAllBytes(path, JsonSerializer.SerializeToUtf8Bytes(example));
        return path;
    }

    private static Task<Node> StartSiloNodeAsync(IAgentMeshStore store, TempDirectory work)
    {
        var options = store.ProviderName == "postgres"
            ? new StoreOptions { Provider = "postgres", ConnectionString = ConnectionStringOf(store) }
            : new StoreOptions { Provider = "sqlite", DataDirectory = work.Combine("silo-data") };
        return StartNodeAsync(builder =>
        {
            builder.Configuration["Silo:SiloPort"] = "0";
            builder.Configuration["Silo:GatewayPort"] = "0";
            builder.Configuration["Silo:AdvertisedAddress"] = "127.0.0.1";
            builder.AddAgentMeshSilo(options, new NodeOptions { NodeId = "bench" });
            builder.Services.AddSingleton<IWebhookInbox, GrainWebhookInbox>();
            // Measures the acknowledgement: processing (after the 202) only records that it ran.
            builder.Services.AddSingleton<IDeliveryProcessor, CountingProcessor>();
        });
    }

    private static string ConnectionStringOf(IAgentMeshStore store) =>
        s_postgresConnectionString ?? throw new InvalidOperationException($"No PostgreSQL database was opened for {store.ProviderName}.");

    private static async Task<Node> StartNodeAsync(Action<WebApplicationBuilder> configure)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        configure(builder);
        builder.Services.AddGitHubWebhooks(o => o.GlobalSecret = Secret);
        var app = builder.Build();
        var times = new System.Collections.Concurrent.ConcurrentQueue<double>();
        // Server-side time: from the request reaching the app to the answer written, store write included.
        app.Use(async (context, next) =>
        {
            var started = Stopwatch.GetTimestamp();
            await next(context);
            times.Enqueue(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        });
        app.MapGitHubWebhooks("/webhooks/github");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Node(app, new Uri(address.TrimEnd('/') + "/webhooks/github"), times);
    }

    private static async Task<LoadResult> RunLoadProcessAsync(Uri url, int rate, double seconds, string payload)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(Orchestrator).Assembly.Location);
        }
        foreach (var argument in new[] { "load", "--url", url.AbsoluteUri, "--rate", rate.ToString(CultureInfo.InvariantCulture),
                     "--seconds", seconds.ToString(CultureInfo.InvariantCulture), "--warmup", "3", "--payload", payload })
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the load generator.");
        await process.StandardInput.WriteLineAsync(Secret);
        process.StandardInput.Close();
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n').Select(LoadResult.Parse).FirstOrDefault(r => r is not null)
            ?? throw new InvalidOperationException($"The load generator failed ({process.ExitCode}): {errors}{output}");
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private sealed class CountingProcessor : IDeliveryProcessor
    {
        public Task<string> ProcessAsync(AgentMesh.Grains.Abstractions.Deliveries.WebhookDelivery delivery, CancellationToken cancellationToken) =>
            Task.FromResult("measured");
    }

    private sealed class Node(WebApplication app, Uri url, System.Collections.Concurrent.ConcurrentQueue<double> serverTimes) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        public System.Collections.Concurrent.ConcurrentQueue<double> ServerTimes { get; } = serverTimes;

        public async ValueTask DisposeAsync()
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }
}
