using System.Globalization;
using System.Text.Json.Nodes;
using AgentMesh.FakeGitHub.Model;

namespace AgentMesh.FakeGitHub;

/// <summary>
/// Renders the fake's objects in GitHub's JSON shapes (the fields AgentMesh and its tests read, with
/// GitHub's names and types: ids as numbers, timestamps as ISO strings, URLs under the fake's origin).
/// </summary>
public sealed class FakeGitHubJson(string apiBase, string webBase)
{
    public JsonObject User(FakeUser user) => new()
    {
        ["login"] = user.Login,
        ["id"] = user.Id,
        ["node_id"] = NodeId("U", user.Id),
        ["url"] = $"{apiBase}users/{user.Login}",
        ["html_url"] = $"{webBase}{user.Login}",
        ["type"] = user.Type,
        ["site_admin"] = false,
    };

    public JsonObject Repository(FakeRepository repo, string? role = null)
    {
        var json = new JsonObject
        {
            ["id"] = repo.Id,
            ["node_id"] = NodeId("R", repo.Id),
            ["name"] = repo.Name,
            ["full_name"] = repo.FullName,
            ["private"] = repo.Private,
            ["owner"] = User(repo.Owner),
            ["html_url"] = $"{webBase}{repo.FullName}",
            ["url"] = $"{apiBase}repos/{repo.FullName}",
            ["clone_url"] = $"{webBase}{repo.FullName}.git",
            ["default_branch"] = repo.DefaultBranch,
            ["visibility"] = repo.Private ? "private" : "public",
        };
        if (role is not null)
        {
            json["permissions"] = new JsonObject
            {
                ["admin"] = role == "admin",
                ["maintain"] = role is "admin" or "maintain",
                ["push"] = role is "admin" or "maintain" or "write",
                ["triage"] = role is "admin" or "maintain" or "write" or "triage",
                ["pull"] = true,
            };
        }
        return json;
    }

    /// <summary>A git reference (<c>GET /repos/{owner}/{repo}/git/ref/{ref}</c>) to a commit.</summary>
    public JsonObject Reference(FakeRepository repo, string name, string sha) => new()
    {
        ["ref"] = name,
        ["node_id"] = "REF_" + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(repo.FullName + ":" + name)),
        ["url"] = $"{apiBase}repos/{repo.FullName}/git/{name}",
        ["object"] = new JsonObject
        {
            ["sha"] = sha,
            ["type"] = "commit",
            ["url"] = $"{apiBase}repos/{repo.FullName}/git/commits/{sha}",
        },
    };

    public JsonObject Label(FakeRepository repo, FakeLabel label) => new()
    {
        ["id"] = label.Id,
        ["node_id"] = NodeId("L", label.Id),
        ["url"] = $"{apiBase}repos/{repo.FullName}/labels/{Uri.EscapeDataString(label.Name)}",
        ["name"] = label.Name,
        ["color"] = label.Color,
        ["default"] = false,
    };

    public JsonObject Issue(FakeRepository repo, FakeIssue issue)
    {
        var json = new JsonObject
        {
            ["url"] = $"{apiBase}repos/{repo.FullName}/issues/{issue.Number}",
            ["repository_url"] = $"{apiBase}repos/{repo.FullName}",
            ["html_url"] = $"{webBase}{repo.FullName}/{(issue.PullRequest is null ? "issues" : "pull")}/{issue.Number}",
            ["id"] = issue.Id,
            ["node_id"] = NodeId("I", issue.Id),
            ["number"] = issue.Number,
            ["title"] = issue.Title,
            ["user"] = User(issue.User),
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)Label(repo, l))]),
            ["state"] = issue.State,
            ["state_reason"] = issue.StateReason,
            ["locked"] = false,
            ["assignee"] = issue.Assignees.Count > 0 ? User(issue.Assignees[0]) : null,
            ["assignees"] = new JsonArray([.. issue.Assignees.Select(a => (JsonNode)User(a))]),
            ["comments"] = repo.Comments.Count(c => c.IssueNumber == issue.Number),
            ["created_at"] = Time(issue.CreatedAt),
            ["updated_at"] = Time(issue.UpdatedAt),
            ["closed_at"] = issue.ClosedAt is { } closed ? Time(closed) : null,
            ["author_association"] = Association(repo, issue.User),
            ["body"] = issue.Body,
        };
        if (issue.PullRequest is not null)
        {
            json["pull_request"] = new JsonObject
            {
                ["url"] = $"{apiBase}repos/{repo.FullName}/pulls/{issue.Number}",
                ["html_url"] = $"{webBase}{repo.FullName}/pull/{issue.Number}",
            };
        }
        return json;
    }

    public JsonObject Comment(FakeRepository repo, FakeComment comment) => new()
    {
        ["url"] = $"{apiBase}repos/{repo.FullName}/issues/comments/{comment.Id}",
        ["html_url"] = $"{webBase}{repo.FullName}/issues/{comment.IssueNumber}#issuecomment-{comment.Id}",
        ["issue_url"] = $"{apiBase}repos/{repo.FullName}/issues/{comment.IssueNumber}",
        ["id"] = comment.Id,
        ["node_id"] = NodeId("IC", comment.Id),
        ["user"] = User(comment.User),
        ["created_at"] = Time(comment.CreatedAt),
        ["updated_at"] = Time(comment.UpdatedAt),
        ["author_association"] = Association(repo, comment.User),
        ["body"] = comment.Body,
    };

    /// <summary>GitHub's author association, as far as the fake knows: the owner, a collaborator, or nobody.</summary>
    private static string Association(FakeRepository repo, FakeUser user) =>
        string.Equals(user.Login, repo.Owner.Login, StringComparison.OrdinalIgnoreCase) ? "OWNER"
        : repo.Collaborators.ContainsKey(user.Login) ? "COLLABORATOR"
        : "NONE";

    public JsonObject PullRequest(FakeRepository repo, FakeIssue issue)
    {
        var pr = issue.PullRequest ?? throw new InvalidOperationException($"Issue #{issue.Number} is not a pull request.");
        return new JsonObject
        {
            ["url"] = $"{apiBase}repos/{repo.FullName}/pulls/{issue.Number}",
            ["id"] = pr.Id,
            ["node_id"] = NodeId("PR", pr.Id),
            ["html_url"] = $"{webBase}{repo.FullName}/pull/{issue.Number}",
            ["issue_url"] = $"{apiBase}repos/{repo.FullName}/issues/{issue.Number}",
            ["number"] = issue.Number,
            ["state"] = issue.State,
            ["locked"] = false,
            ["title"] = issue.Title,
            ["user"] = User(issue.User),
            ["body"] = issue.Body,
            ["labels"] = new JsonArray([.. issue.Labels.Select(l => (JsonNode)Label(repo, l))]),
            ["created_at"] = Time(issue.CreatedAt),
            ["updated_at"] = Time(issue.UpdatedAt),
            ["closed_at"] = issue.ClosedAt is { } closed ? Time(closed) : null,
            ["merged_at"] = pr.MergedAt is { } merged ? Time(merged) : null,
            ["draft"] = pr.Draft,
            ["merged"] = pr.Merged,
            ["head"] = new JsonObject
            {
                ["label"] = $"{pr.HeadOwner}:{pr.Head}",
                ["ref"] = pr.Head,
                ["sha"] = pr.HeadSha,
                ["user"] = User(repo.Owner),
                ["repo"] = Repository(repo),
            },
            ["base"] = new JsonObject
            {
                ["label"] = $"{repo.Owner.Login}:{pr.Base}",
                ["ref"] = pr.Base,
                ["sha"] = new string('0', 40),
                ["user"] = User(repo.Owner),
                ["repo"] = Repository(repo),
            },
            ["author_association"] = "OWNER",
        };
    }

    public JsonObject Review(FakeRepository repo, FakeIssue issue, FakeReview review) => new()
    {
        ["id"] = review.Id,
        ["node_id"] = NodeId("PRR", review.Id),
        ["user"] = User(review.User),
        ["body"] = review.Body ?? "",
        ["state"] = review.State,
        ["html_url"] = $"{webBase}{repo.FullName}/pull/{issue.Number}#pullrequestreview-{review.Id}",
        ["pull_request_url"] = $"{apiBase}repos/{repo.FullName}/pulls/{issue.Number}",
        ["submitted_at"] = Time(review.SubmittedAt),
        ["commit_id"] = review.CommitId,
        ["author_association"] = "OWNER",
    };

    public JsonObject ReviewComment(FakeRepository repo, FakeIssue issue, FakeReviewComment comment) => new()
    {
        ["url"] = $"{apiBase}repos/{repo.FullName}/pulls/comments/{comment.Id}",
        ["pull_request_review_id"] = comment.ReviewId,
        ["id"] = comment.Id,
        ["node_id"] = NodeId("PRRC", comment.Id),
        ["path"] = comment.Path,
        ["commit_id"] = comment.CommitId,
        ["original_commit_id"] = comment.CommitId,
        ["user"] = User(comment.User),
        ["body"] = comment.Body,
        ["created_at"] = Time(comment.CreatedAt),
        ["updated_at"] = Time(comment.CreatedAt),
        ["html_url"] = $"{webBase}{repo.FullName}/pull/{issue.Number}#discussion_r{comment.Id}",
        ["pull_request_url"] = $"{apiBase}repos/{repo.FullName}/pulls/{issue.Number}",
        ["line"] = comment.Line,
        ["original_line"] = comment.Line,
        ["side"] = comment.Side,
        ["author_association"] = "OWNER",
    };

    public JsonObject Error(string message, string documentation, JsonArray? errors = null)
    {
        var json = new JsonObject { ["message"] = message };
        if (errors is not null)
        {
            json["errors"] = errors;
        }
        json["documentation_url"] = "https://docs.github.com/rest/" + documentation;
        return json;
    }

    public static string Time(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string NodeId(string kind, long id) => Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"0:{kind}{id}"));
}
