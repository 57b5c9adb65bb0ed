using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using AgentMesh.FakeGitHub.Model;
using AgentMesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentMesh.FakeGitHub;

/// <summary>
/// A GitHub double for tests, in process on 127.0.0.1 with a random port. It serves the REST endpoints
/// AgentMesh uses under <see cref="ApiBaseAddress"/> (GitHub Enterprise Server's <c>/api/v3/</c> layout),
/// a real git smart-HTTP remote per repository, signed webhook deliveries, request recording and
/// fault injection. State lives in memory; helpers set up and inspect it.
/// </summary>
public sealed partial class FakeGitHubServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TempDirectory _root;
    private readonly List<RecordedRequest> _requests = [];
    private readonly List<FakeFault> _faults = [];
    private readonly List<(string Method, string PathPrefix, Action<FakeGitHubServer> Action)> _interleavings = [];
    private readonly HttpClient _webhookClient = new();
    private readonly List<FakeApiRoute> _routes;
    private int _installationTokensIssued;
    private int _repositoryInstallationLookups;

    private FakeGitHubServer(WebApplication app, TempDirectory root, TimeProvider time)
    {
        _app = app;
        _root = root;
        Time = time;
        _routes = BuildRoutes();
    }

    /// <summary>The fake's clock: timestamps, rate-limit resets, JWT and token expiry.</summary>
    public TimeProvider Time { get; }

    /// <summary>Everything the fake knows. Hold <see cref="FakeGitHubState.Gate"/> to read it consistently.</summary>
    public FakeGitHubState State { get; } = new();

    /// <summary>The web origin, e.g. <c>http://127.0.0.1:41234/</c>; git remotes live under it.</summary>
    public Uri WebBaseAddress { get; private set; } = null!;

    /// <summary>The REST API root, <c>{web}/api/v3/</c>.</summary>
    public Uri ApiBaseAddress { get; private set; } = null!;

    /// <summary>An added wait before each API answer (real time; for latency experiments, not for timed tests).</summary>
    public TimeSpan Latency { get; set; }

    /// <summary>Installation tokens issued so far (to check caching).</summary>
    public int InstallationTokensIssued => Volatile.Read(ref _installationTokensIssued);

    /// <summary>How many times an App asked which installation covers a repository (<c>GET /repos/o/r/installation</c>).</summary>
    public int RepositoryInstallationLookups => Volatile.Read(ref _repositoryInstallationLookups);

    internal FakeGitHubJson Json { get; private set; } = null!;

    /// <summary>Starts the fake on a random loopback port.</summary>
    public static async Task<FakeGitHubServer> StartAsync(TimeProvider? time = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            // git pushes can be large; GitHub's own limit is far above Kestrel's default.
            options.Limits.MaxRequestBodySize = null;
        });
        var app = builder.Build();
        var server = new FakeGitHubServer(app, new TempDirectory("agentmesh-fakegithub"), time ?? TimeProvider.System);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.WebBaseAddress = new Uri(address.TrimEnd('/') + "/");
        server.ApiBaseAddress = new Uri(server.WebBaseAddress, "api/v3/");
        server.Json = new FakeGitHubJson(server.ApiBaseAddress.AbsoluteUri, server.WebBaseAddress.AbsoluteUri);
        return server;
    }

    /// <summary>The clone URL of a repository's smart-HTTP remote (no credentials in it).</summary>
    public Uri GitUrl(string fullName) => new(WebBaseAddress, fullName + ".git");

    /// <summary>Requests received so far, oldest first.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public void ClearRequests()
    {
        lock (_requests)
        {
            _requests.Clear();
        }
    }

    // ---- set-up helpers ----

    public FakeUser CreateUser(string login, string type = "User")
    {
        lock (State.Gate)
        {
            return UserLocked(login, type);
        }
    }

    /// <summary>Issues a personal access token for <paramref name="login"/> (creating the user if needed).</summary>
    public string CreateToken(string login)
    {
        var token = "ghp_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        lock (State.Gate)
        {
            var user = UserLocked(login, "User");
            State.Tokens[token] = new FakeIdentity("user:" + user.Login, user, null, null);
        }
        return token;
    }

    /// <summary>Creates a repository with an empty bare git repository behind it.</summary>
    public FakeRepository CreateRepo(string owner, string name, bool isPrivate = false, string ownerType = "User")
    {
        var gitDirectory = Path.Combine(_root.Path, owner, name + ".git");
        Directory.CreateDirectory(gitDirectory);
        RunGit(gitDirectory, "init", "--bare", "--quiet", "--initial-branch=main");
        lock (State.Gate)
        {
            var repo = new FakeRepository
            {
                Id = State.NextId(),
                Owner = UserLocked(owner, ownerType),
                Name = name,
                Private = isPrivate,
                GitDirectory = gitDirectory,
            };
            repo.Collaborators[owner] = "admin";
            State.Repositories[repo.FullName] = repo;
            return repo;
        }
    }

    public FakeIssue CreateIssue(string fullName, string title, string? body, string author, params string[] labels)
    {
        lock (State.Gate)
        {
            var repo = RepoLocked(fullName);
            var issue = NewIssueLocked(repo, title, body, UserLocked(author, "User"));
            foreach (var label in labels)
            {
                issue.Labels.Add(LabelLocked(repo, label));
            }
            return issue;
        }
    }

    public FakeComment AddComment(string fullName, int number, string author, string body)
    {
        lock (State.Gate)
        {
            var repo = RepoLocked(fullName);
            IssueLocked(repo, number);
            return NewCommentLocked(repo, number, UserLocked(author, "User"), body);
        }
    }

    /// <summary>Marks a branch as existing without pushing it (pushes register branches by themselves).</summary>
    public void AddBranch(string fullName, string branch)
    {
        lock (State.Gate)
        {
            RepoLocked(fullName).Branches.Add(branch);
        }
    }

    /// <summary>Opens a pull request as <paramref name="author"/> directly, as if made on github.com.</summary>
    public FakeIssue CreatePullRequest(string fullName, string head, string baseBranch, string title, string author)
    {
        lock (State.Gate)
        {
            var repo = RepoLocked(fullName);
            repo.Branches.Add(head);
            return NewPullRequestLocked(repo, title, null, head, repo.Owner.Login, baseBranch, false, UserLocked(author, "User"));
        }
    }

    /// <summary>Merges an open pull request: closed, merged, merged_at set.</summary>
    public void MergePullRequest(string fullName, int number)
    {
        lock (State.Gate)
        {
            var issue = IssueLocked(RepoLocked(fullName), number);
            var pr = issue.PullRequest ?? throw new InvalidOperationException($"#{number} is not a pull request.");
            var now = Time.GetUtcNow();
            pr.Merged = true;
            pr.MergedAt = now;
            issue.State = "closed";
            issue.ClosedAt = now;
            issue.UpdatedAt = now;
        }
    }

    public void AddCollaborator(string fullName, string login, string role)
    {
        lock (State.Gate)
        {
            UserLocked(login, "User");
            RepoLocked(fullName).Collaborators[login] = role;
        }
    }

    public void AddOrganizationMember(string org, string login)
    {
        lock (State.Gate)
        {
            UserLocked(org, "Organization");
            UserLocked(login, "User");
            if (!State.OrganizationMembers.TryGetValue(org, out var members))
            {
                State.OrganizationMembers[org] = members = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            }
            members.Add(login);
        }
    }

    /// <summary>Invites <paramref name="invitee"/> to collaborate; accepting makes them a collaborator.</summary>
    public FakeInvitation InviteCollaborator(string fullName, string invitee, string permission = "write")
    {
        lock (State.Gate)
        {
            var repo = RepoLocked(fullName);
            var invitation = new FakeInvitation(State.NextId(), repo, repo.Owner, UserLocked(invitee, "User"), permission);
            State.Invitations.Add(invitation);
            return invitation;
        }
    }

    /// <summary>Registers a GitHub App whose JWTs are verified with <paramref name="publicKey"/>.</summary>
    public void RegisterApp(string appId, RSA publicKey)
    {
        lock (State.Gate)
        {
            State.Apps[appId] = publicKey;
        }
    }

    /// <summary>Installs an App on <paramref name="account"/> for the given repositories.</summary>
    public FakeInstallation CreateInstallation(string appId, string account, params string[] repositories)
    {
        lock (State.Gate)
        {
            var installation = new FakeInstallation(State.NextId(), appId, UserLocked(account, "Organization"), repositories);
            State.Installations[installation.Id] = installation;
            return installation;
        }
    }

    /// <summary>Revokes every token issued to an installation, as uninstalling or a permission change does.</summary>
    public void RevokeInstallationTokens(long installationId)
    {
        lock (State.Gate)
        {
            foreach (var token in State.Tokens.Where(t => t.Value.Installation?.Id == installationId).Select(t => t.Key).ToList())
            {
                State.Tokens.Remove(token);
            }
        }
    }

    public IReadOnlyList<FakeComment> Comments(string fullName, int number)
    {
        lock (State.Gate)
        {
            return [.. RepoLocked(fullName).Comments.Where(c => c.IssueNumber == number)];
        }
    }

    public FakeIssue Issue(string fullName, int number)
    {
        lock (State.Gate)
        {
            return IssueLocked(RepoLocked(fullName), number);
        }
    }

    // ---- fault injection ----

    /// <summary>The next <paramref name="count"/> API requests under <paramref name="pathPrefix"/> (e.g. <c>repos/o/r/issues</c>) fail with <paramref name="statusCode"/>.</summary>
    public void FailNext(string pathPrefix, int count = 1, int statusCode = 502) =>
        AddFault(new FakeFault { PathPrefix = pathPrefix, Remaining = count, StatusCode = statusCode, Message = statusCode == 502 ? "Server Error" : "Service Unavailable" });

    /// <summary>
    /// The next requests under the prefix get GitHub's secondary rate limit answer (403, or 429 as GitHub
    /// also sends), with <c>retry-after</c> when given.
    /// </summary>
    public void SecondaryRateLimitNext(string pathPrefix, int? retryAfterSeconds, int count = 1, int statusCode = 403) =>
        AddFault(new FakeFault
        {
            PathPrefix = pathPrefix,
            Remaining = count,
            StatusCode = statusCode,
            RetryAfterSeconds = retryAfterSeconds,
            Message = "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
        });

    /// <summary>The next request under the prefix finds the primary rate limit spent until <paramref name="resetAt"/>.</summary>
    public void PrimaryRateLimitNext(string pathPrefix, DateTimeOffset resetAt) =>
        AddFault(new FakeFault
        {
            PathPrefix = pathPrefix,
            Remaining = 1,
            StatusCode = 403,
            PrimaryReset = resetAt,
            Message = "API rate limit exceeded for user ID 1.",
        });

    /// <summary>The next request under the prefix is held unanswered until <see cref="FakeHold.Release"/> (then answered 502).</summary>
    public FakeHold HoldNext(string pathPrefix)
    {
        var hold = new FakeHold();
        AddFault(new FakeFault { PathPrefix = pathPrefix, Remaining = 1, StatusCode = 502, Message = "Server Error", Hold = hold });
        return hold;
    }

    /// <summary>
    /// Runs <paramref name="action"/> when the next <paramref name="method"/> request under the prefix arrives, before it is
    /// handled: a way to interleave "another client" deterministically (e.g. win a race to create a pull request).
    /// </summary>
    public void BeforeNext(string method, string pathPrefix, Action<FakeGitHubServer> action)
    {
        lock (_interleavings)
        {
            _interleavings.Add((method, pathPrefix, action));
        }
    }

    private void AddFault(FakeFault fault)
    {
        lock (_faults)
        {
            _faults.Add(fault);
        }
    }

    // ---- webhooks ----

    /// <summary>Posts a delivery signed like GitHub (<c>X-Hub-Signature-256</c>) to <paramref name="target"/>.</summary>
    public async Task<HttpResponseMessage> SendWebhookAsync(Uri target, string eventName, byte[] payload, string secret, string? deliveryId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        using var request = new HttpRequestMessage(HttpMethod.Post, target) { Content = new ByteArrayContent(payload) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-GitHub-Delivery", deliveryId ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Hook-ID", "1");
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), payload)));
        request.Headers.UserAgent.ParseAdd("GitHub-Hookshot/fake");
        return await _webhookClient.SendAsync(request, cancellationToken);
    }

    /// <summary>Sends <paramref name="payload"/> to every hook of the repository subscribed to the event; returns the status codes.</summary>
    public async Task<IReadOnlyList<HttpStatusCode>> DeliverAsync(string fullName, string eventName, JsonNode payload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payload);
        List<FakeHook> hooks;
        lock (State.Gate)
        {
            hooks = [.. RepoLocked(fullName).Hooks.Where(h => h.Events.Contains(eventName) || h.Events.Contains("*"))];
        }
        var bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var statuses = new List<HttpStatusCode>();
        foreach (var hook in hooks)
        {
            using var response = await SendWebhookAsync(hook.Url, eventName, bytes, hook.Secret, cancellationToken: cancellationToken);
            statuses.Add(response.StatusCode);
        }
        return statuses;
    }

    /// <summary>An <c>issues</c> payload for the issue as it is now, in GitHub's shape.</summary>
    public JsonObject IssuesPayload(string fullName, int number, string action, string senderLogin)
    {
        lock (State.Gate)
        {
            var repo = RepoLocked(fullName);
            return new JsonObject
            {
                ["action"] = action,
                ["issue"] = Json.Issue(repo, IssueLocked(repo, number)),
                ["repository"] = Json.Repository(repo),
                ["sender"] = Json.User(UserLocked(senderLogin, "User")),
            };
        }
    }

    /// <summary>An <c>issue_comment</c> payload for an existing comment.</summary>
    public JsonObject IssueCommentPayload(string fullName, long commentId, string action)
    {
        lock (State.Gate)
        {
            var repo = RepoLocked(fullName);
            var comment = repo.Comments.Single(c => c.Id == commentId);
            return new JsonObject
            {
                ["action"] = action,
                ["issue"] = Json.Issue(repo, IssueLocked(repo, comment.IssueNumber)),
                ["comment"] = Json.Comment(repo, comment),
                ["repository"] = Json.Repository(repo),
                ["sender"] = Json.User(comment.User),
            };
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _webhookClient.Dispose();
        _root.Dispose();
    }

    // ---- state helpers (callers hold State.Gate) ----

    private FakeUser UserLocked(string login, string type)
    {
        if (!State.Users.TryGetValue(login, out var user))
        {
            State.Users[login] = user = new FakeUser(State.NextId(), login, type);
        }
        return user;
    }

    private FakeRepository RepoLocked(string fullName) =>
        State.Repositories.TryGetValue(fullName, out var repo) ? repo : throw FakeApiException.NotFound();

    private static FakeIssue IssueLocked(FakeRepository repo, int number) =>
        repo.Issues.FirstOrDefault(i => i.Number == number) ?? throw FakeApiException.NotFound();

    private FakeLabel LabelLocked(FakeRepository repo, string name)
    {
        var label = repo.Labels.FirstOrDefault(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (label is null)
        {
            label = new FakeLabel(State.NextId(), name, "ededed");
            repo.Labels.Add(label);
        }
        return label;
    }

    private FakeIssue NewIssueLocked(FakeRepository repo, string title, string? body, FakeUser author)
    {
        var now = Time.GetUtcNow();
        var issue = new FakeIssue { Id = State.NextId(), Number = repo.NextNumber++, Title = title, Body = body, User = author, CreatedAt = now, UpdatedAt = now };
        repo.Issues.Add(issue);
        return issue;
    }

    private FakeIssue NewPullRequestLocked(FakeRepository repo, string title, string? body, string head, string headOwner, string baseBranch, bool draft, FakeUser author)
    {
        var issue = NewIssueLocked(repo, title, body, author);
        issue.PullRequest = new FakePullRequest { Id = State.NextId(), Head = head, HeadOwner = headOwner, Base = baseBranch, Draft = draft };
        return issue;
    }

    private FakeComment NewCommentLocked(FakeRepository repo, int number, FakeUser author, string body)
    {
        var now = Time.GetUtcNow();
        var comment = new FakeComment { Id = State.NextId(), IssueNumber = number, User = author, Body = body, CreatedAt = now, UpdatedAt = now };
        repo.Comments.Add(comment);
        return comment;
    }

    private static string RunGit(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("git", arguments)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git is not installed; run ./build.sh test, which installs it.");
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed ({process.ExitCode}): {error}");
        }
        return output;
    }
}
