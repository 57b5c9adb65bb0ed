using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentMesh.FakeGitHub;
using AgentMesh.Testing;
using Shouldly;

namespace AgentMesh.Dashboard.Tests.Browser;

/// <summary>
/// A real <c>agentmesh serve</c> (web role only, so jobs wait in <c>queued</c> where a test can
/// look at them) on its own SQLite file, talking to a fake GitHub with one repository.
/// </summary>
internal sealed partial class DashboardNode : IAsyncDisposable
{
    public const string Owner = "octo";
    public const string Repo = "octo/widgets";
    public const string Bot = "agentmesh-bot";

    /// <summary>A second repository, owned by an organisation, for tenant isolation.</summary>
    public const string OtherRepo = "globex/tools";

    /// <summary>The GitHub login configured as a dashboard admin (<c>Dashboard:GitHubOAuth:AdminLogins</c>).</summary>
    public const string AdminLogin = "root-admin";
    private const string OAuthClientId = "Iv1.dashboard-tests";
    private const string OAuthClientSecret = "dashboard-oauth-secret-0123456789abcdef";
    private const string WebhookSecret = "dashboard-webhook-secret";
    private const string AdminToken = "dashboard-admin-token-0123456789";

    private readonly HttpClient _http = new();
    private readonly TempDirectory _directory;

    private DashboardNode(FakeGitHubServer gitHub, TempDirectory directory, AgentMeshProgram program)
    {
        GitHub = gitHub;
        _directory = directory;
        Program = program;
    }

    public FakeGitHubServer GitHub { get; }

    public AgentMeshProgram Program { get; }

    public Uri BaseAddress => Program.BaseAddress;

    public static async Task<DashboardNode> StartAsync()
    {
        var gitHub = await FakeGitHubServer.StartAsync();
        var directory = new TempDirectory("agentmesh-dashboard-node");
        gitHub.CreateUser(Bot, "Bot");
        var botToken = gitHub.CreateToken(Bot);
        gitHub.CreateRepo(Owner, "widgets");
        gitHub.AddCollaborator(Repo, Bot, "write");
        gitHub.CreateRepo("globex", "tools", ownerType: "Organization");
        gitHub.AddCollaborator(OtherRepo, Bot, "write");
        gitHub.RegisterOAuthApp(OAuthClientId, OAuthClientSecret);
        var environment = new Dictionary<string, string>
        {
            ["AGENTMESH_Node__NodeId"] = "dashboard-node",
            ["AGENTMESH_Node__Roles"] = "web",
            ["AGENTMESH_Store__DataDirectory"] = directory.Combine("data"),
            ["AGENTMESH_Silo__SiloPort"] = "0",
            ["AGENTMESH_Silo__GatewayPort"] = "0",
            ["AGENTMESH_Silo__AdvertisedAddress"] = "127.0.0.1",
            ["AGENTMESH_Admin__Token"] = AdminToken,
            ["AGENTMESH_GitHub__Token"] = botToken,
            ["AGENTMESH_GitHub__Rest__BaseAddress"] = gitHub.ApiBaseAddress.ToString(),
            ["AGENTMESH_GitHub__GitBaseAddress"] = gitHub.WebBaseAddress.ToString(),
            ["AGENTMESH_GitHub__Webhooks__GlobalSecret"] = WebhookSecret,
            ["AGENTMESH_Pipeline__BotLogin"] = Bot,
            ["AGENTMESH_Dashboard__GitHubOAuth__ClientId"] = OAuthClientId,
            ["AGENTMESH_Dashboard__GitHubOAuth__ClientSecret"] = OAuthClientSecret,
            ["AGENTMESH_Dashboard__GitHubOAuth__AdminLogins__0"] = AdminLogin,
        };
        var program = await AgentMeshProgram.StartServeAsync(directory.Path, environment);
        var node = new DashboardNode(gitHub, directory, program);
        await node.ConfigureRepoAsync(Repo);
        await node.ConfigureRepoAsync(OtherRepo);
        return node;
    }

    /// <summary>The one-time admin link the node printed on its console.</summary>
    public string ConsoleSignInLink
    {
        get
        {
            var match = SignInLine().Match(Program.Stdout);
            match.Success.ShouldBeTrue($"agentmesh serve printed no sign-in link:\n{AgentMeshProgram.Tail(Program.Output)}");
            return match.Groups[1].Value;
        }
    }

    /// <summary>Opens an issue on the fake GitHub and sends its <c>issues.opened</c> webhook; returns the issue number.</summary>
    public async Task<int> OpenIssueAsync(string title, string repo = Repo)
    {
        var author = repo.Split('/')[0];
        var issue = GitHub.CreateIssue(repo, title, null, author);
        using var response = await GitHub.SendWebhookAsync(
            new Uri(BaseAddress, "/webhooks/github"),
            "issues",
            Encoding.UTF8.GetBytes(GitHub.IssuesPayload(repo, issue.Number, "opened", author).ToJsonString()),
            WebhookSecret);
        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        return issue.Number;
    }

    /// <summary>The job of an issue as the admin API shows it (id and state), once it exists.</summary>
    public async Task<(string Id, string State)> JobAsync(int issueNumber, string repo = Repo)
    {
        (string, string)? found = null;
        await Eventually.UntilAsync(
            async () =>
            {
                var list = await GetJsonAsync($"/api/jobs?repo={Uri.EscapeDataString(repo)}");
                foreach (var job in list.GetProperty("items").EnumerateArray())
                {
                    if (job.GetProperty("number").GetInt32() == issueNumber)
                    {
                        found = (job.GetProperty("id").GetString()!, job.GetProperty("state").GetString()!);
                        return true;
                    }
                }
                return false;
            },
            $"the admin API to list a job for {repo}#{issueNumber}");
        return found!.Value;
    }

    private Task ConfigureRepoAsync(string repo) => SendAsync(HttpMethod.Put, $"/api/repos/{repo}", new { enabled = true, autoSolve = true });

    /// <summary>Sends an admin API request with the admin token; anything but success fails the test with the answer.</summary>
    public async Task SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(BaseAddress, path));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        response.IsSuccessStatusCode.ShouldBeTrue($"{method} {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<JsonElement> GetJsonAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(BaseAddress, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        using var response = await _http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.ShouldBeTrue($"GET {path} answered {(int)response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        await Program.DisposeAsync();
        await GitHub.DisposeAsync();
        _http.Dispose();
        _directory.Dispose();
    }

    [GeneratedRegex(@"sign in:\s+(http://\S+#[0-9a-f]{64})")]
    private static partial Regex SignInLine();
}
