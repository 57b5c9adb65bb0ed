using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentMesh.FakeGitHub.Model;

namespace AgentMesh.FakeGitHub;

/// <summary>The REST endpoints, in GitHub's shapes and status codes. Handlers run under the state lock.</summary>
public sealed partial class FakeGitHubServer
{
    private const string Repo = @"^repos/(?<owner>[^/]+)/(?<repo>[^/]+)";

    private List<FakeApiRoute> BuildRoutes() =>
    [
        Route("GET", Repo + "$", GetRepository),
        Route("GET", Repo + @"/issues/(?<number>\d+)$", r => FakeApiResponse.Ok(Json.Issue(RepoFor(r), IssueLocked(RepoFor(r), r.RouteInt("number"))))),
        Route("GET", Repo + @"/issues/(?<number>\d+)/comments$", ListComments),
        Route("POST", Repo + @"/issues/(?<number>\d+)/comments$", CreateComment),
        Route("PATCH", Repo + @"/issues/comments/(?<id>\d+)$", UpdateComment),
        Route("POST", Repo + "/issues$", CreateIssueRoute),
        Route("PATCH", Repo + @"/issues/(?<number>\d+)$", UpdateIssue),
        Route("POST", Repo + @"/issues/(?<number>\d+)/labels$", AddLabels),
        Route("DELETE", Repo + @"/issues/(?<number>\d+)/labels/(?<label>[^/]+)$", RemoveLabel),
        Route("POST", Repo + "/pulls$", CreatePullRequestRoute),
        Route("GET", Repo + "/pulls$", ListPullRequests),
        Route("GET", Repo + @"/pulls/(?<number>\d+)$", r => FakeApiResponse.Ok(Json.PullRequest(RepoFor(r), PullLocked(RepoFor(r), r.RouteInt("number"))))),
        Route("POST", Repo + @"/pulls/(?<number>\d+)/reviews$", CreateReview),
        Route("GET", Repo + @"/pulls/(?<number>\d+)/comments$", ListReviewComments),
        Route("POST", Repo + "/hooks$", CreateHook),
        Route("GET", Repo + "/git/ref/(?<ref>heads/.+)$", GetReference),
        Route("GET", Repo + @"/collaborators/(?<user>[^/]+)/permission$", GetPermission),
        Route("GET", "^user/repos$", ListUserRepositories),
        Route("GET", "^installation/repositories$", ListInstallationRepositories),
        Route("GET", "^user/repository_invitations$", ListInvitations),
        Route("PATCH", @"^user/repository_invitations/(?<id>\d+)$", AcceptInvitation),
        Route("GET", "^rate_limit$", GetRateLimit),
        Route("GET", "^user$", GetUser),
        Route("GET", "^user/orgs$", ListUserOrganizations),
        Route("GET", "^orgs/(?<org>[^/]+)/members/(?<user>[^/]+)$", CheckMembership),
        new FakeApiRoute("POST", new Regex(@"^app/installations/(?<id>\d+)/access_tokens$", RegexOptions.CultureInvariant), CreateInstallationToken, ForApp: true),
        new FakeApiRoute("GET", new Regex(Repo + "/installation$", RegexOptions.CultureInvariant), GetRepositoryInstallation, ForApp: true),
    ];

    private static FakeApiRoute Route(string method, string pattern, Func<FakeApiRequest, FakeApiResponse> handler) =>
        new(method, new Regex(pattern, RegexOptions.CultureInvariant), handler);

    /// <summary>The repository in the route, as the caller may see it (an installation sees only its repositories).</summary>
    private FakeRepository RepoFor(FakeApiRequest request)
    {
        var repo = RepoLocked(request.Route("owner") + "/" + request.Route("repo"));
        if (request.Identity.Installation is { } installation && !installation.Repositories.Contains(repo.FullName, StringComparer.OrdinalIgnoreCase))
        {
            throw FakeApiException.NotFound();
        }
        if (repo.Private && request.Identity.User is { } user && !repo.Collaborators.ContainsKey(user.Login))
        {
            throw FakeApiException.NotFound();
        }
        return repo;
    }

    private static FakeIssue PullLocked(FakeRepository repo, int number)
    {
        var issue = IssueLocked(repo, number);
        return issue.PullRequest is null ? throw FakeApiException.NotFound() : issue;
    }

    private static FakeApiException Validation(string resource, string field, string code) =>
        new(422, "Validation Failed", "issues/issues", new JsonArray(new JsonObject { ["resource"] = resource, ["code"] = code, ["field"] = field }));

    private static string Required(JsonObject json, string field, string resource) =>
        json[field] is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : throw Validation(resource, field, "missing_field");

    private FakeApiResponse GetRepository(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var role = request.Identity.User is { } user ? repo.Collaborators.GetValueOrDefault(user.Login) ?? "read" : "write";
        return FakeApiResponse.Ok(Json.Repository(repo, role));
    }

    /// <summary><c>GET /repos/{owner}/{repo}/git/ref/heads/{branch}</c>: the branch exactly, read from the repository's real git directory; 404 when absent.</summary>
    private FakeApiResponse GetReference(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var name = "refs/" + request.Route("ref");
        var sha = name.Contains("..", StringComparison.Ordinal) ? null : ReadRef(repo.GitDirectory, name);
        return sha is null ? throw FakeApiException.NotFound() : FakeApiResponse.Ok(Json.Reference(repo, name, sha));
    }

    /// <summary>A ref of a bare repository in git's files backend: its loose file, else its line in packed-refs.</summary>
    private static string? ReadRef(string gitDirectory, string name)
    {
        var loose = Path.Combine(gitDirectory, name);
        if (File.Exists(loose))
        {
            return File.ReadAllText(loose).Trim();
        }
        var packed = Path.Combine(gitDirectory, "packed-refs");
        if (!File.Exists(packed))
        {
            return null;
        }
        return File.ReadLines(packed)
            .Where(line => line.Length > 0 && line[0] is not ('#' or '^'))
            .Select(line => line.Split(' ', 2))
            .FirstOrDefault(parts => parts.Length == 2 && parts[1] == name)?[0];
    }

    private FakeApiResponse ListComments(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var number = request.RouteInt("number");
        IssueLocked(repo, number);
        return FakeApiResponse.List(repo.Comments.Where(c => c.IssueNumber == number).Select(c => (JsonNode)Json.Comment(repo, c)));
    }

    private FakeApiResponse CreateComment(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var number = request.RouteInt("number");
        IssueLocked(repo, number);
        var body = Required(request.Json(), "body", "IssueComment");
        return FakeApiResponse.Created(Json.Comment(repo, NewCommentLocked(repo, number, request.Identity.Actor, body)));
    }

    private FakeApiResponse UpdateComment(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var comment = repo.Comments.FirstOrDefault(c => c.Id == request.RouteLong("id")) ?? throw FakeApiException.NotFound();
        comment.Body = Required(request.Json(), "body", "IssueComment");
        comment.UpdatedAt = Time.GetUtcNow();
        return FakeApiResponse.Ok(Json.Comment(repo, comment));
    }

    private FakeApiResponse CreateIssueRoute(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var json = request.Json();
        var issue = NewIssueLocked(repo, Required(json, "title", "Issue"), json["body"]?.GetValue<string>(), request.Identity.Actor);
        foreach (var label in json["labels"]?.AsArray() ?? [])
        {
            issue.Labels.Add(LabelLocked(repo, label!.GetValue<string>()));
        }
        return FakeApiResponse.Created(Json.Issue(repo, issue));
    }

    private FakeApiResponse UpdateIssue(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var issue = IssueLocked(repo, request.RouteInt("number"));
        var json = request.Json();
        var now = Time.GetUtcNow();
        if (json["title"] is JsonValue title)
        {
            issue.Title = title.GetValue<string>();
        }
        if (json["body"] is JsonValue body)
        {
            issue.Body = body.GetValue<string>();
        }
        if (json["state"] is JsonValue stateValue)
        {
            var state = stateValue.GetValue<string>();
            if (state is not ("open" or "closed"))
            {
                throw Validation("Issue", "state", "invalid");
            }
            if (state != issue.State)
            {
                issue.State = state;
                issue.ClosedAt = state == "closed" ? now : null;
                issue.StateReason = json["state_reason"]?.GetValue<string>() ?? (state == "closed" ? "completed" : "reopened");
            }
        }
        issue.UpdatedAt = now;
        return FakeApiResponse.Ok(Json.Issue(repo, issue));
    }

    private FakeApiResponse AddLabels(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var issue = IssueLocked(repo, request.RouteInt("number"));
        // GitHub takes {"labels": [...]} or, as Octokit sends it, the bare array.
        var body = request.JsonNode();
        var labels = body as JsonArray ?? (body as JsonObject)?["labels"] as JsonArray ?? throw Validation("Label", "labels", "missing_field");
        foreach (var name in labels.Select(l => l!.GetValue<string>()))
        {
            if (!issue.Labels.Any(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            {
                issue.Labels.Add(LabelLocked(repo, name));
            }
        }
        return FakeApiResponse.Ok(new JsonArray([.. issue.Labels.Select(l => (JsonNode)Json.Label(repo, l))]));
    }

    private FakeApiResponse RemoveLabel(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var issue = IssueLocked(repo, request.RouteInt("number"));
        var name = request.Route("label");
        if (issue.Labels.RemoveAll(l => l.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) == 0)
        {
            throw new FakeApiException(404, "Label does not exist", "issues/labels#remove-a-label-from-an-issue");
        }
        return FakeApiResponse.Ok(new JsonArray([.. issue.Labels.Select(l => (JsonNode)Json.Label(repo, l))]));
    }

    private FakeApiResponse CreatePullRequestRoute(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var json = request.Json();
        var title = Required(json, "title", "PullRequest");
        var head = Required(json, "head", "PullRequest");
        var baseBranch = Required(json, "base", "PullRequest");
        var colon = head.IndexOf(':', StringComparison.Ordinal);
        var headOwner = colon >= 0 ? head[..colon] : repo.Owner.Login;
        var branch = colon >= 0 ? head[(colon + 1)..] : head;
        if (!repo.Branches.Contains(branch))
        {
            throw new FakeApiException(422, "Validation Failed", "pulls/pulls#create-a-pull-request",
                new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["field"] = "head", ["code"] = "invalid" }));
        }
        if (repo.Issues.Any(i => i.State == "open" && i.PullRequest is { } pr && pr.Head == branch && pr.HeadOwner.Equals(headOwner, StringComparison.OrdinalIgnoreCase)))
        {
            throw new FakeApiException(422, "Validation Failed", "pulls/pulls#create-a-pull-request",
                new JsonArray(new JsonObject { ["resource"] = "PullRequest", ["code"] = "custom", ["message"] = $"A pull request already exists for {headOwner}:{branch}." }));
        }
        var draft = json["draft"] is JsonValue d && d.GetValue<bool>();
        var issue = NewPullRequestLocked(repo, title, json["body"]?.GetValue<string>(), branch, headOwner, baseBranch, draft, request.Identity.Actor);
        return FakeApiResponse.Created(Json.PullRequest(repo, issue));
    }

    private FakeApiResponse ListPullRequests(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var state = request.Query("state") ?? "open";
        var head = request.Query("head");
        var pulls = repo.Issues.Where(i => i.PullRequest is not null && (state == "all" || i.State == state));
        if (head is not null)
        {
            var colon = head.IndexOf(':', StringComparison.Ordinal);
            var (owner, branch) = colon >= 0 ? (head[..colon], head[(colon + 1)..]) : (repo.Owner.Login, head);
            pulls = pulls.Where(i => i.PullRequest!.Head == branch && i.PullRequest.HeadOwner.Equals(owner, StringComparison.OrdinalIgnoreCase));
        }
        // GitHub lists newest first.
        return FakeApiResponse.List(pulls.OrderByDescending(i => i.Number).Select(i => (JsonNode)Json.PullRequest(repo, i)));
    }

    private FakeApiResponse CreateReview(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var issue = PullLocked(repo, request.RouteInt("number"));
        var json = request.Json();
        var reviewEvent = json["event"]?.GetValue<string>();
        var state = reviewEvent switch
        {
            "APPROVE" => "APPROVED",
            "REQUEST_CHANGES" => "CHANGES_REQUESTED",
            "COMMENT" => "COMMENTED",
            null => "PENDING",
            _ => throw Validation("PullRequestReview", "event", "invalid"),
        };
        var body = json["body"]?.GetValue<string>();
        var comments = json["comments"] as JsonArray ?? [];
        if (state is "CHANGES_REQUESTED" or "COMMENTED" && string.IsNullOrEmpty(body) && comments.Count == 0)
        {
            throw new FakeApiException(422, "Unprocessable Entity", "pulls/reviews#create-a-review-for-a-pull-request",
                new JsonArray(JsonValue.Create($"Review Can not {(state == "COMMENTED" ? "comment" : "request changes")} without a body")));
        }
        var pr = issue.PullRequest!;
        var commitId = json["commit_id"]?.GetValue<string>() ?? pr.HeadSha;
        var now = Time.GetUtcNow();
        var review = new FakeReview(State.NextId(), request.Identity.Actor, state, body, commitId, now);
        pr.Reviews.Add(review);
        foreach (var comment in comments.OfType<JsonObject>())
        {
            pr.ReviewComments.Add(new FakeReviewComment(
                State.NextId(), review.Id, request.Identity.Actor,
                Required(comment, "path", "PullRequestReviewComment"),
                comment["line"]?.GetValue<int>() ?? throw Validation("PullRequestReviewComment", "line", "missing_field"),
                comment["side"]?.GetValue<string>() ?? "RIGHT",
                Required(comment, "body", "PullRequestReviewComment"),
                commitId, now));
        }
        return FakeApiResponse.Ok(Json.Review(repo, issue, review));
    }

    private FakeApiResponse ListReviewComments(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var issue = PullLocked(repo, request.RouteInt("number"));
        return FakeApiResponse.List(issue.PullRequest!.ReviewComments.Select(c => (JsonNode)Json.ReviewComment(repo, issue, c)));
    }

    private FakeApiResponse CreateHook(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var json = request.Json();
        var config = json["config"] as JsonObject ?? throw Validation("Hook", "config", "missing_field");
        var url = Required(config, "url", "Hook");
        var events = (json["events"] as JsonArray)?.Select(e => e!.GetValue<string>()).ToList() ?? ["push"];
        var hook = new FakeHook(State.NextId(), new Uri(url), config["secret"]?.GetValue<string>() ?? "", events, config["content_type"]?.GetValue<string>() ?? "form");
        repo.Hooks.Add(hook);
        var now = FakeGitHubJson.Time(Time.GetUtcNow());
        var hookUrl = $"{ApiBaseAddress}repos/{repo.FullName}/hooks/{hook.Id}";
        return FakeApiResponse.Created(new JsonObject
        {
            ["type"] = "Repository",
            ["id"] = hook.Id,
            ["name"] = "web",
            ["active"] = json["active"]?.GetValue<bool>() ?? true,
            ["events"] = new JsonArray([.. events.Select(e => (JsonNode)JsonValue.Create(e)!)]),
            ["config"] = new JsonObject
            {
                ["content_type"] = hook.ContentType,
                ["insecure_ssl"] = config["insecure_ssl"]?.GetValue<string>() ?? "0",
                ["secret"] = "********",
                ["url"] = url,
            },
            ["updated_at"] = now,
            ["created_at"] = now,
            ["url"] = hookUrl,
            ["test_url"] = hookUrl + "/test",
            ["ping_url"] = hookUrl + "/pings",
            ["deliveries_url"] = hookUrl + "/deliveries",
            ["last_response"] = new JsonObject { ["code"] = null, ["status"] = "unused", ["message"] = null },
        });
    }

    private FakeApiResponse GetPermission(FakeApiRequest request)
    {
        var repo = RepoFor(request);
        var login = request.Route("user");
        var user = State.Users.TryGetValue(login, out var known) ? known : throw new FakeApiException(404, $"{login} is not a user");
        var role = repo.Collaborators.GetValueOrDefault(login) ?? (repo.Private ? null : "read");
        var permission = role switch
        {
            "admin" => "admin",
            "maintain" or "write" => "write",
            "triage" or "read" => "read",
            _ => "none",
        };
        return FakeApiResponse.Ok(new JsonObject { ["permission"] = permission, ["role_name"] = role ?? "none", ["user"] = Json.User(user) });
    }

    private FakeApiResponse ListUserRepositories(FakeApiRequest request)
    {
        var user = request.Identity.User ?? throw new FakeApiException(403, "Resource not accessible by integration");
        return FakeApiResponse.List(State.Repositories.Values
            .Where(r => r.Collaborators.ContainsKey(user.Login))
            .OrderBy(r => r.Id)
            .Select(r => (JsonNode)Json.Repository(r, r.Collaborators[user.Login])));
    }

    private FakeApiResponse ListInstallationRepositories(FakeApiRequest request)
    {
        var installation = request.Identity.Installation ?? throw new FakeApiException(403, "You must authenticate with an installation access token in order to list repositories for an installation.");
        var repos = installation.Repositories.Select(name => State.Repositories.GetValueOrDefault(name)).OfType<FakeRepository>();
        return FakeApiResponse.List(repos.Select(r => (JsonNode)Json.Repository(r, "write"))) with { WrapIn = "repositories" };
    }

    private JsonObject Invitation(FakeInvitation invitation) => new()
    {
        ["id"] = invitation.Id,
        ["node_id"] = Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"0:RI{invitation.Id}")),
        ["repository"] = Json.Repository(invitation.Repository),
        ["invitee"] = Json.User(invitation.Invitee),
        ["inviter"] = Json.User(invitation.Inviter),
        ["permissions"] = invitation.Permission,
        ["created_at"] = FakeGitHubJson.Time(Time.GetUtcNow()),
        ["url"] = $"{ApiBaseAddress}user/repository_invitations/{invitation.Id}",
        ["html_url"] = $"{WebBaseAddress}{invitation.Repository.FullName}/invitations",
        ["expired"] = false,
    };

    private FakeApiResponse ListInvitations(FakeApiRequest request)
    {
        var user = request.Identity.User ?? throw new FakeApiException(403, "Resource not accessible by integration");
        return FakeApiResponse.List(State.Invitations.Where(i => i.Invitee.Login.Equals(user.Login, StringComparison.OrdinalIgnoreCase)).Select(i => (JsonNode)Invitation(i)));
    }

    private FakeApiResponse AcceptInvitation(FakeApiRequest request)
    {
        var user = request.Identity.User ?? throw new FakeApiException(403, "Resource not accessible by integration");
        var invitation = State.Invitations.FirstOrDefault(i => i.Id == request.RouteLong("id") && i.Invitee.Login.Equals(user.Login, StringComparison.OrdinalIgnoreCase))
            ?? throw FakeApiException.NotFound();
        State.Invitations.Remove(invitation);
        invitation.Repository.Collaborators[user.Login] = invitation.Permission;
        return FakeApiResponse.NoContent();
    }

    private FakeApiResponse GetRateLimit(FakeApiRequest request)
    {
        var limit = SpendRateLimit(request.Identity, spend: false);
        JsonObject Core() => new()
        {
            ["limit"] = FakeRateLimit.Limit,
            ["used"] = FakeRateLimit.Limit - limit.Remaining,
            ["remaining"] = limit.Remaining,
            ["reset"] = limit.ResetAt.ToUnixTimeSeconds(),
        };
        return FakeApiResponse.Ok(new JsonObject { ["resources"] = new JsonObject { ["core"] = Core() }, ["rate"] = Core() });
    }

    private FakeApiResponse GetUser(FakeApiRequest request)
    {
        var user = request.Identity.User ?? throw new FakeApiException(403, "Resource not accessible by integration");
        var json = Json.User(user);
        json["name"] = user.Login;
        json["public_repos"] = State.Repositories.Values.Count(r => r.Owner.Login == user.Login && !r.Private);
        return FakeApiResponse.Ok(json);
    }

    private FakeApiResponse CheckMembership(FakeApiRequest request) =>
        State.OrganizationMembers.TryGetValue(request.Route("org"), out var members) && members.Contains(request.Route("user"))
            ? FakeApiResponse.NoContent()
            : throw new FakeApiException(404, "User does not exist or is not a member of the organization", "orgs/members#check-organization-membership-for-a-user");

    /// <summary><c>GET /repos/{owner}/{repo}/installation</c> as the App: the installation covering the repository, or 404.</summary>
    private FakeApiResponse GetRepositoryInstallation(FakeApiRequest request)
    {
        Interlocked.Increment(ref _repositoryInstallationLookups);
        var fullName = request.Route("owner") + "/" + request.Route("repo");
        var installation = State.Installations.Values.FirstOrDefault(i =>
            i.AppId == request.Identity.AppId && i.Repositories.Contains(fullName, StringComparer.OrdinalIgnoreCase))
            ?? throw new FakeApiException(404, "Not Found", "apps/apps#get-a-repository-installation-for-the-authenticated-app");
        return FakeApiResponse.Ok(new JsonObject
        {
            ["id"] = installation.Id,
            ["account"] = Json.User(installation.Account),
            ["app_id"] = long.Parse(installation.AppId, System.Globalization.CultureInfo.InvariantCulture),
            ["target_id"] = installation.Account.Id,
            ["target_type"] = "Organization",
            ["repository_selection"] = "selected",
            ["access_tokens_url"] = new Uri(ApiBaseAddress, $"app/installations/{installation.Id}/access_tokens").AbsoluteUri,
            ["repositories_url"] = new Uri(ApiBaseAddress, "installation/repositories").AbsoluteUri,
            ["html_url"] = new Uri(WebBaseAddress, $"organizations/{installation.Account.Login}/settings/installations/{installation.Id}").AbsoluteUri,
            ["permissions"] = new JsonObject { ["contents"] = "write", ["issues"] = "write", ["pull_requests"] = "write", ["metadata"] = "read" },
            ["events"] = new JsonArray("issues", "issue_comment", "pull_request"),
        });
    }

    private FakeApiResponse CreateInstallationToken(FakeApiRequest request)
    {
        if (!State.Installations.TryGetValue(request.RouteLong("id"), out var installation) || installation.AppId != request.Identity.AppId)
        {
            throw new FakeApiException(404, "Not Found", "apps/apps#create-an-installation-access-token-for-an-app");
        }
        var token = "ghs_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(18));
        var expiresAt = Time.GetUtcNow() + TimeSpan.FromHours(1);
        State.Tokens[token] = new FakeIdentity("installation:" + installation.Id, null, installation, installation.AppId, expiresAt);
        Interlocked.Increment(ref _installationTokensIssued);
        return FakeApiResponse.Created(new JsonObject
        {
            ["token"] = token,
            ["expires_at"] = FakeGitHubJson.Time(expiresAt),
            ["permissions"] = new JsonObject { ["contents"] = "write", ["issues"] = "write", ["pull_requests"] = "write", ["metadata"] = "read", ["members"] = "read" },
            ["repository_selection"] = "selected",
        });
    }
}
