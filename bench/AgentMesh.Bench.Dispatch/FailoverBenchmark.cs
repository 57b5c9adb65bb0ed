using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentMesh.FakeGitHub;
using AgentMesh.Testing;
using AgentMesh.Testing.Postgres;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// Failover: a web silo and two worker silos (real <c>agentmesh serve</c> processes) on one PostgreSQL;
/// per sample an issue's agent starts on one worker, that worker is killed with SIGKILL (its process
/// tree, agent included), and the time until the job's agent is running again on the other worker is
/// measured. The agent connects to a <see cref="StartSignalListener"/> when it starts and then stalls.
/// After each sample the job is stopped and the killed worker started again under its id.
/// </summary>
internal sealed class FailoverBenchmark : IAsyncDisposable
{
    // The same fake repository and secrets as the dispatch world's.
    private const string Owner = DispatchWorld.Owner;
    private const string Name = DispatchWorld.Name;
    private const string Repo = DispatchWorld.Repo;
    private const string WebhookSecret = DispatchWorld.WebhookSecret;
    private const string AdminToken = DispatchWorld.AdminToken;
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(90);

    private readonly FakeGitHubServer _github;
    private readonly TempDirectory _directory;
    private readonly StartSignalListener _signals;
    private readonly Dictionary<string, string> _environment;
    private readonly Dictionary<string, AgentMeshProgram> _nodes = [];
    private readonly HttpClient _http = new();
    private int _sample;

    private FailoverBenchmark(FakeGitHubServer github, TempDirectory directory, StartSignalListener signals, Dictionary<string, string> environment)
    {
        _github = github;
        _directory = directory;
        _signals = signals;
        _environment = environment;
    }

    public static async Task<int> RunAsync(int samples)
    {
        Console.WriteLine($"Failover: SIGKILL of the worker silo running a job's agent -> the agent running again on the other worker silo; web + 2 workers on PostgreSQL; Orleans membership defaults; {samples} samples.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, {DateTime.UtcNow:yyyy-MM-dd}, load avg before {Load()}");
        await using var bench = await StartAsync();
        var results = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var ms = await bench.RunSampleAsync();
            results.Add(ms);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"sample {i + 1}: {ms:F0} ms (load avg {Load()})"));
        }
        Console.WriteLine();
        Console.WriteLine("| samples | p50 (s) | max (s) | min (s) | mean (s) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {results.Count} | {DispatchBenchmark.Percentile(results, 50) / 1000:F1} | {results.Max() / 1000:F1} | {results.Min() / 1000:F1} | {results.Average() / 1000:F1} |"));
        return 0;
    }

    private static async Task<FailoverBenchmark> StartAsync()
    {
        var github = await FakeGitHubServer.StartAsync();
        var directory = new TempDirectory("agentmesh-bench-failover");
        var signals = new StartSignalListener();
        github.CreateUser("agentmesh-bot", "Bot");
        var botToken = github.CreateToken("agentmesh-bot");
        var repo = github.CreateRepo(Owner, Name);
        github.AddCollaborator(Repo, "agentmesh-bot", "write");
        GitTool.SeedRepository(repo.GitDirectory, directory.Combine("seed"));
        var agent = directory.Combine("stalling-agent.sh");
        File.WriteAllText(agent, $$"""
            #!/bin/bash
            exec 3<>/dev/tcp/127.0.0.1/{{signals.Port}}
            grep -o -m 1 'failover-sample-[0-9]*' "$AGENTMESH_PROMPT_FILE" | head -n 1 >&3
            exec 3>&-
            exec sleep 600

            """);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The failover benchmark's fake agent is a bash script; run it on Linux.");
        }
        File.SetUnixFileMode(agent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var environment = new Dictionary<string, string>
        {
            ["AGENTMESH_Store__Provider"] = "postgres",
            ["AGENTMESH_Store__ConnectionString"] = await PostgresServer.Shared.CreateDatabaseAsync(),
            ["AGENTMESH_Silo__SiloPort"] = "0",
            ["AGENTMESH_Silo__GatewayPort"] = "0",
            ["AGENTMESH_Silo__AdvertisedAddress"] = "127.0.0.1",
            ["AGENTMESH_Admin__Token"] = AdminToken,
            ["AGENTMESH_GitHub__Token"] = botToken,
            ["AGENTMESH_GitHub__Rest__BaseAddress"] = github.ApiBaseAddress.ToString(),
            ["AGENTMESH_GitHub__GitBaseAddress"] = github.WebBaseAddress.ToString(),
            ["AGENTMESH_GitHub__Webhooks__GlobalSecret"] = WebhookSecret,
            ["AGENTMESH_Pipeline__BotLogin"] = "agentmesh-bot",
            ["AGENTMESH_Agents__DefaultProfile"] = "bench",
            ["AGENTMESH_Agents__Profiles__bench__Cli"] = "Command",
            ["AGENTMESH_Agents__Profiles__bench__Command"] = agent,
            ["AGENTMESH_Agents__Profiles__bench__Timeout"] = "00:10:00",
            ["AGENTMESH_Workspaces__MinimumFreeDiskBytes"] = "1048576",
            ["AGENTMESH_Jobs__Retry__MaxAttempts"] = "100",
            ["AGENTMESH_Logging__LogLevel__Microsoft.AspNetCore"] = "Warning",
        };
        var bench = new FailoverBenchmark(github, directory, signals, environment);
        await bench.StartNodeAsync("web-1", "web");
        await bench.StartNodeAsync("worker-1", "worker");
        await bench.StartNodeAsync("worker-2", "worker");
        await bench.ApiAsync(HttpMethod.Put, $"/api/repos/{Repo}", new { enabled = true, autoSolve = true, maxConcurrentJobs = 1, agentProfile = "bench" });
        return bench;
    }

    private async Task<double> RunSampleAsync()
    {
        var marker = $"failover-sample-{Interlocked.Increment(ref _sample)}";
        var issue = _github.CreateIssue(Repo, $"Benchmark {marker}", "A failover sample.", Owner);
        var payload = Encoding.UTF8.GetBytes(_github.IssuesPayload(Repo, issue.Number, "opened", Owner).ToJsonString());
        using (await _github.SendWebhookAsync(new Uri(_nodes["web-1"].BaseAddress, "/webhooks/github"), "issues", payload, WebhookSecret))
        {
        }
        await _signals.WaitForAsync(marker, SampleTimeout);
        var job = await FindJobAsync(issue.Number);
        var holder = job.GetProperty("leaseOwner").GetString()!.Split('/')[0];

        var killed = Stopwatch.GetTimestamp();
        await _nodes[holder].KillAsync();
        var restarted = (await _signals.WaitForAsync(marker, SampleTimeout)).FirstLine;
        var failover = Stopwatch.GetElapsedTime(killed, restarted).TotalMilliseconds;

        await ApiAsync(HttpMethod.Post, $"/api/jobs/{job.GetProperty("id").GetString()}/stop", new { });
        await _nodes[holder].DisposeAsync();
        await StartNodeAsync(holder, "worker");
        return failover;
    }

    private async Task StartNodeAsync(string nodeId, string roles)
    {
        var environment = new Dictionary<string, string>(_environment)
        {
            ["AGENTMESH_Node__NodeId"] = nodeId,
            ["AGENTMESH_Node__Roles"] = roles,
            ["AGENTMESH_Store__DataDirectory"] = _directory.Combine("data-" + nodeId),
        };
        _nodes[nodeId] = await AgentMeshProgram.StartServeAsync(_directory.Path, environment, TimeSpan.FromSeconds(90));
    }

    private async Task<JsonElement> FindJobAsync(int issueNumber)
    {
        JsonElement found = default;
        await Eventually.UntilAsync(
            async () =>
            {
                var list = await ApiAsync(HttpMethod.Get, $"/api/jobs?repo={Uri.EscapeDataString(Repo)}", null);
                var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
                found = items.EnumerateArray().FirstOrDefault(j => j.GetProperty("number").GetInt32() == issueNumber && j.GetProperty("leaseOwner").ValueKind == JsonValueKind.String);
                return found.ValueKind == JsonValueKind.Object;
            },
            $"the job of issue #{issueNumber} to be held by a worker",
            SampleTimeout);
        return found;
    }

    private async Task<JsonElement> ApiAsync(HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, new Uri(_nodes["web-1"].BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{method} {path} answered {(int)response.StatusCode}: {text}");
        }
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    private static string Load() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes.Values)
        {
            await node.DisposeAsync();
        }
        await _signals.DisposeAsync();
        await _github.DisposeAsync();
        _http.Dispose();
        _directory.Dispose();
    }
}
