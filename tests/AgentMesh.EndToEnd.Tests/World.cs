using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentMesh.FakeGitHub;
using AgentMesh.FakeGitHub.Model;
using AgentMesh.FakeModel;
using AgentMesh.Testing;
using Shouldly;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>
/// One test's world: a fake GitHub with a real git remote, a scripted model server, a seeded
/// repository, and AgentMesh nodes configured the way an operator would (environment variables).
/// </summary>
internal sealed class World : IAsyncDisposable
{
    public const string Owner = "octo";
    public const string Name = "widgets";
    public const string Repo = Owner + "/" + Name;
    public const string Maintainer = "octo";
    public const string Bot = "agentmesh-bot";
    public const string WebhookSecret = "e2e-webhook-secret";
    public const string AdminToken = "e2e-admin-token-0123456789";

    private readonly List<AgentMeshProgram> _nodes = [];
    private readonly HttpClient _http = new();

    private World(FakeGitHubServer github, FakeModelServer model, TempDirectory directory, string botToken)
    {
        GitHub = github;
        Model = model;
        Directory = directory;
        BotToken = botToken;
    }

    public FakeGitHubServer GitHub { get; }

    public FakeModelServer Model { get; }

    public TempDirectory Directory { get; }

    public string BotToken { get; }

    public string DataDirectory => Directory.Combine("data");

    /// <summary>Extra settings for the nodes this world starts (e.g. short leases).</summary>
    public Dictionary<string, string> Settings { get; } = new(StringComparer.Ordinal);

    public static async Task<World> StartAsync(params ModelTurn[] script)
    {
        var github = await FakeGitHubServer.StartAsync();
        var model = await FakeModelServer.StartAsync(script);
        var directory = new TempDirectory("agentmesh-e2e");
        github.CreateUser(Bot, "Bot");
        var botToken = github.CreateToken(Bot);
        var repo = github.CreateRepo(Owner, Name);
        github.AddCollaborator(Repo, Bot, "write");
        GitTool.SeedRepository(repo.GitDirectory, directory.Combine("seed"));
        return new World(github, model, directory, botToken);
    }

    /// <summary>Starts a node; by default with both roles on the world's SQLite file (see <see cref="Settings"/> for others).</summary>
    public async Task<AgentMeshProgram> StartNodeAsync(string nodeId = "node-a", IReadOnlyDictionary<string, string>? nodeSettings = null)
    {
        var environment = NodeEnvironment(nodeId);
        foreach (var (key, value) in nodeSettings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }
        var node = await AgentMeshProgram.StartServeAsync(Directory.Path, environment);
        _nodes.Add(node);
        return node;
    }

    /// <summary>
    /// The environment an operator would give an <c>agentmesh</c> process of this world (serve or run):
    /// the fake GitHub, the scripted model behind the real Claude CLI, the world's SQLite file, plus <see cref="Settings"/>.
    /// </summary>
    public Dictionary<string, string> NodeEnvironment(string nodeId)
    {
        var environment = new Dictionary<string, string>
        {
            ["AGENTMESH_Node__NodeId"] = nodeId,
            ["AGENTMESH_Store__DataDirectory"] = DataDirectory,
            // Several silos on one machine: each takes free ports (a fleet's default is 11111/30000).
            ["AGENTMESH_Silo__SiloPort"] = "0",
            ["AGENTMESH_Silo__GatewayPort"] = "0",
            // Silos of a test fleet talk over loopback only.
            ["AGENTMESH_Silo__AdvertisedAddress"] = "127.0.0.1",
            ["AGENTMESH_Admin__Token"] = AdminToken,
            ["AGENTMESH_GitHub__Token"] = BotToken,
            ["AGENTMESH_GitHub__Rest__BaseAddress"] = GitHub.ApiBaseAddress.ToString(),
            ["AGENTMESH_GitHub__GitBaseAddress"] = GitHub.WebBaseAddress.ToString(),
            ["AGENTMESH_GitHub__Webhooks__GlobalSecret"] = WebhookSecret,
            ["AGENTMESH_Pipeline__BotLogin"] = Bot,
            ["AGENTMESH_Agents__DefaultProfile"] = "claude",
            ["AGENTMESH_Agents__Profiles__claude__Cli"] = "Claude",
            ["AGENTMESH_Agents__Profiles__claude__Command"] = ClaudeCli.Path,
            ["AGENTMESH_Agents__Profiles__claude__Model"] = "claude-fake-1",
            ["AGENTMESH_Agents__Profiles__claude__Timeout"] = "00:03:00",
            ["AGENTMESH_Agents__Profiles__claude__AllowedTools__0"] = "Write",
            ["AGENTMESH_Agents__Profiles__claude__AllowedTools__1"] = "Bash",
            ["AGENTMESH_Agents__Profiles__claude__Secrets__0"] = "ANTHROPIC_API_KEY",
            ["AGENTMESH_Agents__Profiles__claude__Environment__ANTHROPIC_BASE_URL"] = Model.BaseUrl.ToString().TrimEnd('/'),
            ["AGENTMESH_Agents__Profiles__claude__Environment__CLAUDE_CODE_MAX_RETRIES"] = "0",
            ["AGENTMESH_Secrets__ANTHROPIC_API_KEY"] = "sk-ant-e2e-key",
            ["AGENTMESH_Workspaces__MinimumFreeDiskBytes"] = "1048576",
        };
        foreach (var (key, value) in Settings)
        {
            environment[key] = value;
        }
        return environment;
    }

    /// <summary>Configures the repo through the admin API, as an operator would.</summary>
    public async Task ConfigureRepoAsync(AgentMeshProgram node, object config)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri(node.BaseAddress, $"/api/repos/{Repo}"))
        {
            Content = JsonContent.Create(config),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue($"PUT /api/repos/{Repo} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>Sends a webhook to the node the way GitHub does; returns the status code.</summary>
    public async Task<HttpStatusCode> SendWebhookAsync(AgentMeshProgram node, string eventName, JsonNode payload, string? deliveryId = null)
    {
        using var response = await GitHub.SendWebhookAsync(
            new Uri(node.BaseAddress, "/webhooks/github"),
            eventName,
            Encoding.UTF8.GetBytes(payload.ToJsonString()),
            WebhookSecret,
            deliveryId);
        return response.StatusCode;
    }

    /// <summary>Sends the <c>issues.opened</c> webhook for <paramref name="issue"/>, opened by the maintainer.</summary>
    public Task<HttpStatusCode> SendIssueOpenedAsync(AgentMeshProgram node, FakeIssue issue, string? deliveryId = null) =>
        SendWebhookAsync(node, "issues", GitHub.IssuesPayload(Repo, issue.Number, "opened", Maintainer), deliveryId);

    public async Task<JsonElement> GetJsonAsync(AgentMeshProgram node, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(node.BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>All jobs of the world's repo, as the admin API lists them.</summary>
    public async Task<IReadOnlyList<JsonElement>> JobsAsync(AgentMeshProgram node)
    {
        var list = await GetJsonAsync(node, $"/api/jobs?repo={Uri.EscapeDataString(Repo)}");
        var items = list.ValueKind == JsonValueKind.Array ? list : list.GetProperty("items");
        return [.. items.EnumerateArray()];
    }

    /// <summary>Waits until the job has reached <paramref name="state"/> and returns it; a timeout tells where the job is.</summary>
    public async Task<JsonElement> WaitForJobStateAsync(AgentMeshProgram node, string state, int? issueNumber = null, TimeSpan? timeout = null)
    {
        JsonElement found = default;
        try
        {
            await Eventually.UntilAsync(
                async () =>
                {
                    var jobs = await JobsAsync(node);
                    var match = jobs.FirstOrDefault(j => j.GetProperty("state").GetString() == state
                        && (issueNumber is null || j.GetProperty("number").GetInt32() == issueNumber));
                    if (match.ValueKind == JsonValueKind.Undefined)
                    {
                        return false;
                    }
                    found = match;
                    return true;
                },
                $"a job{(issueNumber is null ? "" : $" for issue #{issueNumber}")} in state {state}",
                timeout ?? TimeSpan.FromMinutes(2),
                TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException timeoutException)
        {
            var jobs = await JobsAsync(node);
            var details = new StringBuilder(timeoutException.Message);
            foreach (var job in jobs)
            {
                details.Append(CultureInfo.InvariantCulture, $"\n--- job {job.GetProperty("id").GetString()} #{job.GetProperty("number").GetInt32()} is {job.GetProperty("state").GetString()}, attempt {job.GetProperty("attempt").GetInt32()}\n");
                details.Append(await DescribeJobAsync(node, job.GetProperty("id").GetString()!));
            }
            details.Append("\n--- node output:\n").Append(AgentMeshProgram.Tail(node.Output));
            throw new TimeoutException(details.ToString(), timeoutException);
        }
        return found;
    }

    /// <summary>The job's last log lines and events as text, for failure messages.</summary>
    public async Task<string> DescribeJobAsync(AgentMeshProgram node, string jobId)
    {
        var logs = await GetJsonAsync(node, $"/api/jobs/{jobId}/logs?tail=80");
        var events = await GetJsonAsync(node, $"/api/jobs/{jobId}/events");
        var lines = logs.GetProperty("lines").EnumerateArray().Select(l => $"{l.GetProperty("stream").GetString()}: {l.GetProperty("text").GetString()}");
        var types = events.GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString() + " " + e.GetProperty("data").ToString());
        return "log:\n" + string.Join("\n", lines) + "\nevents:\n" + string.Join("\n", types);
    }

    /// <summary>The files of a branch in the fake's bare repository, read with git.</summary>
    public string ShowFile(string branch, string path) =>
        GitTool.Run(GitHub.State.Repositories[Repo].GitDirectory, "show", $"{branch}:{path}");

    public string Log(string branch) =>
        GitTool.Run(GitHub.State.Repositories[Repo].GitDirectory, "log", "--format=%s", branch);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
        await Model.DisposeAsync();
        await GitHub.DisposeAsync();
        _http.Dispose();
        Directory.Dispose();
    }

}

/// <summary>The real Claude Code CLI that ./build.sh test installs.</summary>
internal static class ClaudeCli
{
    public static string Path
    {
        get
        {
            var package = RepoPaths.RequireNpmPackage("@anthropic-ai/claude-code");
            var native = System.IO.Path.Combine(package, "bin", "claude.exe");
            return File.Exists(native) ? native : throw new InvalidOperationException(
                $"Claude Code is installed at {package} but has no binary; run `node {package}/install.cjs` (./build.sh test does).");
        }
    }
}
