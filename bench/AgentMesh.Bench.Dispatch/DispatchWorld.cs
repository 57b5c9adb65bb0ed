using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AgentMesh.FakeGitHub;
using AgentMesh.Testing;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// One backend's world: the fake GitHub with a seeded repository, a real <c>agentmesh serve</c> process
/// configured by AGENTMESH_* variables (as tests/AgentMesh.EndToEnd.Tests/World.cs does), and instead of
/// Claude a command profile whose script connects to <see cref="StartSignalListener"/> and then asks a
/// clarifying question, so every job ends quickly in waiting_for_reply.
/// </summary>
internal sealed class DispatchWorld : IAsyncDisposable
{
    internal const string Owner = "octo";
    internal const string Name = "widgets";
    internal const string Repo = Owner + "/" + Name;
    private const string Bot = "agentmesh-bot";
    internal const string WebhookSecret = "bench-webhook-secret";
    internal const string AdminToken = "bench-admin-token-0123456789";
    private static readonly TimeSpan SampleTimeout = TimeSpan.FromSeconds(60);

    private readonly FakeGitHubServer _github;
    private readonly TempDirectory _directory;
    private readonly StartSignalListener _signals;
    private readonly AgentMeshProgram _node;
    private readonly HttpClient _http = new();
    private int _sample;

    private DispatchWorld(FakeGitHubServer github, TempDirectory directory, StartSignalListener signals, AgentMeshProgram node)
    {
        _github = github;
        _directory = directory;
        _signals = signals;
        _node = node;
    }

    /// <param name="workerSlots">The node's worker slots; null keeps the node's default.</param>
    /// <param name="maxConcurrentJobs">How many of the repo's jobs may run at once.</param>
    public static async Task<DispatchWorld> StartAsync(string backend, IReadOnlyDictionary<string, string> storeSettings, int? workerSlots = null, int maxConcurrentJobs = 1)
    {
        var github = await FakeGitHubServer.StartAsync();
        var directory = new TempDirectory("agentmesh-bench-dispatch-" + backend);
        var signals = new StartSignalListener();
        github.CreateUser(Bot, "Bot");
        var botToken = github.CreateToken(Bot);
        var repo = github.CreateRepo(Owner, Name);
        github.AddCollaborator(Repo, Bot, "write");
        GitTool.SeedRepository(repo.GitDirectory, directory.Combine("seed"));
        var agent = await FakeAgentProgram.BuildAsync(directory.Combine("fake-agent"));
        WriteAgentScript(agent + ".sh", signals.Port, directory.Combine("holds"));

        var environment = new Dictionary<string, string>
        {
            ["AGENTMESH_Node__NodeId"] = "bench-" + backend,
            ["AGENTMESH_Store__DataDirectory"] = directory.Combine("data"),
            ["AGENTMESH_Admin__Token"] = AdminToken,
            ["AGENTMESH_GitHub__Token"] = botToken,
            ["AGENTMESH_GitHub__Rest__BaseAddress"] = github.ApiBaseAddress.ToString(),
            ["AGENTMESH_GitHub__GitBaseAddress"] = github.WebBaseAddress.ToString(),
            ["AGENTMESH_GitHub__Webhooks__GlobalSecret"] = WebhookSecret,
            ["AGENTMESH_Pipeline__BotLogin"] = Bot,
            ["AGENTMESH_Agents__DefaultProfile"] = "bench",
            ["AGENTMESH_Agents__Profiles__bench__Cli"] = "Command",
            ["AGENTMESH_Agents__Profiles__bench__Command"] = agent,
            ["AGENTMESH_Agents__Profiles__bench__Timeout"] = "00:01:00",
            ["AGENTMESH_Workspaces__MinimumFreeDiskBytes"] = "1048576",
        };
        if (workerSlots is { } slots)
        {
            environment["AGENTMESH_Node__WorkerSlots"] = slots.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        foreach (var (key, value) in NodeLog.TimestampSettings.Concat(storeSettings))
        {
            environment[key] = value;
        }
        var node = await AgentMeshProgram.StartServeAsync(directory.Path, environment, TimeSpan.FromSeconds(90));
        var world = new DispatchWorld(github, directory, signals, node);
        await world.ConfigureRepoAsync(maxConcurrentJobs);
        return world;
    }

    /// <summary>
    /// Creates an issue, sends its issues.opened webhook, waits for the agent to start, then for the job to be
    /// over (waiting_for_reply, the question posted, the worktree removed) and the repository's next spare worktree
    /// made (or its making failed), so the next sample meets an idle worker: one with nothing in flight.
    /// </summary>
    public async Task<Sample> RunSampleAsync()
    {
        var marker = $"dispatch-sample-{Interlocked.Increment(ref _sample)}";
        var issue = _github.CreateIssue(Repo, $"Benchmark {marker}", "A dispatch latency sample.", Owner);
        var payload = Encoding.UTF8.GetBytes(_github.IssuesPayload(Repo, issue.Number, "opened", Owner).ToJsonString());

        // The worker's first reads after its claim are the repository and then this issue: the moment the fake
        // GitHub receives the issue read marks "the job is claimed and running" to within one REST round trip.
        long issueRead = 0;
        _github.BeforeNext("GET", $"repos/{Repo}/issues/{issue.Number}", _ => Interlocked.Exchange(ref issueRead, Stopwatch.GetTimestamp()));
        var sparesBefore = SparesMadeOrFailed();
        var standbysBefore = StandbyLaunchersReady();
        var sentAt = DateTimeOffset.UtcNow;
        var sent = Stopwatch.GetTimestamp();
        using (var response = await _github.SendWebhookAsync(new Uri(_node.BaseAddress, "/webhooks/github"), "issues", payload, WebhookSecret))
        {
            var acknowledged = Stopwatch.GetTimestamp();
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                throw new InvalidOperationException($"The webhook for {marker} was answered {(int)response.StatusCode}.");
            }
            StartSignal started;
            try
            {
                started = await _signals.WaitForAsync(marker, SampleTimeout);
            }
            catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
            {
                throw new InvalidOperationException($"{ex.Message}\nNode output:\n{Tail(_node.Output)}", ex);
            }
            var (jobId, createdAt) = await WaitUntilIdleAsync(issue.Number, marker);
            // Made in the background once the agent started (docs/agents.md): a sample sent while it is being made
            // would meet a busy worker and the fetch path.
            await Eventually.UntilAsync(
                () => SparesMadeOrFailed() > sparesBefore,
                $"the spare worktree of {Repo} to be made again after {marker} (the node's \"Spare worktree of {Repo} ready\" line)",
                SampleTimeout,
                TimeSpan.FromMilliseconds(20));
            // Likewise the agent launcher kept on standby for the next agent (docs/agents.md), where the node has one.
            if (standbysBefore > 0)
            {
                await Eventually.UntilAsync(
                    () => StandbyLaunchersReady() > standbysBefore,
                    $"the node's next standby agent launcher after {marker} (its \"A standby agent launcher is ready\" line)",
                    SampleTimeout,
                    TimeSpan.FromMilliseconds(20));
            }
            var worktreeAt = _node.LogTime($"Worktree for {Repo} on agentmesh/issue-{issue.Number} ", jobId)
                ?? throw new InvalidOperationException($"The node logged no worktree for {marker} (job {jobId}):\n{Tail(_node.Output)}");
            var spawnedAt = _node.LogTime("Started agent ", jobId)
                ?? throw new InvalidOperationException($"The node logged no agent start for {marker} (job {jobId}):\n{Tail(_node.Output)}");
            // A run adopts the repo's spare worktree only when GitHub confirms main has not moved (docs/agents.md).
            var fromSpare = _node.LogTime($"Worktree for {Repo} on agentmesh/issue-{issue.Number} from the spare", jobId) is not null;
            var claimed = Interlocked.Read(ref issueRead);
            if (claimed == 0)
            {
                throw new InvalidOperationException($"The fake GitHub saw no read of issue #{issue.Number} for {marker}.");
            }
            return Sample.From(sent, acknowledged, started, new Milestones(
                (createdAt - sentAt).TotalMilliseconds,
                Stopwatch.GetElapsedTime(sent, claimed).TotalMilliseconds,
                (worktreeAt - sentAt).TotalMilliseconds,
                (spawnedAt - sentAt).TotalMilliseconds,
                fromSpare));
        }
    }

    /// <summary>
    /// A worker with one slot: a held agent takes it, a second issue's job waits queued, the held agent is
    /// released. Returns the milliseconds from the release to the queued job's agent starting: an upper bound of
    /// "slot freed → next agent started", since it includes the held run's own wrap-up (its outcome recorded,
    /// its worktree removed).
    /// </summary>
    public async Task<double> RunSlotSampleAsync()
    {
        var holder = $"dispatch-sample-{Interlocked.Increment(ref _sample)}";
        var waiter = $"dispatch-sample-{Interlocked.Increment(ref _sample)}";
        var hold = Path.Combine(_directory.Combine("holds"), holder);
        await MakeFifoAsync(hold);
        var first = await OpenIssueAsync(holder);
        await _signals.WaitForAsync(holder, SampleTimeout);
        var second = await OpenIssueAsync(waiter);
        await Eventually.UntilAsync(
            async () => await JobInStateAsync(second, "queued") is not null,
            $"the job of {waiter} (issue #{second}) to wait queued while the only slot is taken",
            SampleTimeout,
            TimeSpan.FromMilliseconds(20));

        var released = Release(hold);
        var started = (await _signals.WaitForAsync(waiter, SampleTimeout)).RequireProcessStarted();
        await WaitUntilIdleAsync(first, holder);
        await WaitUntilIdleAsync(second, waiter);
        File.Delete(hold);
        return Stopwatch.GetElapsedTime(released, started).TotalMilliseconds;
    }

    private async Task<int> OpenIssueAsync(string marker)
    {
        var issue = _github.CreateIssue(Repo, $"Benchmark {marker}", "A dispatch latency sample.", Owner);
        var payload = Encoding.UTF8.GetBytes(_github.IssuesPayload(Repo, issue.Number, "opened", Owner).ToJsonString());
        using var response = await _github.SendWebhookAsync(new Uri(_node.BaseAddress, "/webhooks/github"), "issues", payload, WebhookSecret);
        return response.StatusCode == HttpStatusCode.Accepted
            ? issue.Number
            : throw new InvalidOperationException($"The webhook for {marker} was answered {(int)response.StatusCode}.");
    }

    /// <summary>Lets the agent waiting on <paramref name="hold"/> go on; returns the moment it was let go.</summary>
    private static long Release(string hold)
    {
        // Opening a named pipe for writing returns once its reader (the waiting agent) has it open.
        using var pipe = new FileStream(hold, FileMode.Open, FileAccess.Write);
        pipe.Write("go\n"u8);
        var released = Stopwatch.GetTimestamp();
        return released;
    }

    private static async Task MakeFifoAsync(string path)
    {
        using var mkfifo = Process.Start("mkfifo", [path]) ?? throw new InvalidOperationException("mkfifo did not start.");
        await mkfifo.WaitForExitAsync();
        if (mkfifo.ExitCode != 0)
        {
            throw new InvalidOperationException($"mkfifo {path} failed with {mkfifo.ExitCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _node.DisposeAsync();
        await _signals.DisposeAsync();
        await _github.DisposeAsync();
        _http.Dispose();
        _directory.Dispose();
    }

    /// <summary>Waits for the sample's job to be over; returns its id and when the store created it (the admission).</summary>
    private int StandbyLaunchersReady() => _node.CountLines("A standby agent launcher is ready");

    private int SparesMadeOrFailed() =>
        _node.CountLines($"Spare worktree of {Repo} ready") + _node.CountLines($"The spare worktree of {Repo} could not be made");

    private async Task<(string Id, DateTimeOffset CreatedAt)> WaitUntilIdleAsync(int issueNumber, string marker)
    {
        (string Id, DateTimeOffset CreatedAt)? job = null;
        await Eventually.UntilAsync(
            async () => (job = await JobInStateAsync(issueNumber, "waiting_for_reply")) is not null,
            $"the job of {marker} (issue #{issueNumber}) to reach waiting_for_reply",
            SampleTimeout,
            TimeSpan.FromMilliseconds(20));
        await Eventually.UntilAsync(
            () => _github.Comments(Repo, issueNumber).Count > 0,
            $"the clarifying question of {marker} to be posted on issue #{issueNumber}",
            SampleTimeout,
            TimeSpan.FromMilliseconds(20));
        var worktree = _directory.Combine("data", "workspaces", "worktrees", Owner, Name, job!.Value.Id);
        await Eventually.UntilAsync(
            () => !Directory.Exists(worktree),
            $"the worktree of {marker} ({worktree}) to be removed",
            SampleTimeout,
            TimeSpan.FromMilliseconds(20));
        return job.Value;
    }

    private async Task<(string Id, DateTimeOffset CreatedAt)?> JobInStateAsync(int issueNumber, string state)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_node.BaseAddress, $"/api/jobs?repo={Uri.EscapeDataString(Repo)}"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET /api/jobs answered {(int)response.StatusCode}: {body}");
        }
        var root = JsonDocument.Parse(body).RootElement;
        var items = root.ValueKind == JsonValueKind.Array ? root : root.GetProperty("items");
        foreach (var job in items.EnumerateArray())
        {
            if (job.GetProperty("number").GetInt32() == issueNumber)
            {
                var current = job.GetProperty("state").GetString();
                if (current is "failed" or "closed")
                {
                    throw new InvalidOperationException($"The job of issue #{issueNumber} ended {current}, not {state}:\n{Tail(_node.Output)}");
                }
                return current == state ? (job.GetProperty("id").GetString()!, job.GetProperty("createdAt").GetDateTimeOffset()) : null;
            }
        }
        return null;
    }

    private async Task ConfigureRepoAsync(int maxConcurrentJobs)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(_node.BaseAddress, $"/api/repos/{Repo}"))
        {
            Content = JsonContent.Create(new { enabled = true, autoSolve = true, maxConcurrentJobs, agentProfile = "bench" }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"PUT /api/repos/{Repo} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
    }

    /// <summary>
    /// The fake agent's script, which <see cref="FakeAgentProgram"/> becomes once it has read the clock: connects to
    /// the listener first and sends its sample's marker (from the prompt file) and its process's start, then
    /// waits while its sample has a hold (a named pipe under <paramref name="holds"/>, opened by
    /// <see cref="Release"/>), then ends with a clarification request so the job finishes without a push.
    /// </summary>
    private static void WriteAgentScript(string path, int port, string holds)
    {
        Directory.CreateDirectory(holds);
        File.WriteAllText(path, $$"""
            #!/bin/bash
            exec 3<>/dev/tcp/127.0.0.1/{{port}}
            marker=$(grep -o -m 1 'dispatch-sample-[0-9]*' "$AGENTMESH_PROMPT_FILE" | head -n 1)
            printf '%s %s\n' "$marker" "${{FakeAgentProgram.StartedVariable}}" >&3
            exec 3>&-
            if [ -p "{{holds}}/$marker" ]; then read -r _ < "{{holds}}/$marker"; fi
            printf '%s\n' '```json' '{"agentmesh":"needs_clarification","questions":["Benchmark sample: no work to do."]}' '```'

            """);
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("The dispatch benchmark's fake agent is a bash script; run it on Linux.");
        }
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    private static string Tail(string text) => text.Length <= 4000 ? text : text[^4000..];
}
