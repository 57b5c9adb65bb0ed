using System.Text.Json.Nodes;

namespace AgentMesh.EndToEnd.Tests;

/// <summary>Pull request webhook payloads in GitHub's shape, for events the fake GitHub has no builder for.</summary>
internal static class Payloads
{
    public static JsonObject Review(int pullNumber, string headBranch, string reviewer, string state, string body) => new()
    {
        ["action"] = "submitted",
        ["review"] = new JsonObject
        {
            ["id"] = 9001,
            ["body"] = body,
            ["state"] = state,
            ["user"] = User(reviewer),
        },
        ["pull_request"] = PullRequest(pullNumber, headBranch, merged: false, state: "open"),
        ["repository"] = Repository(),
        ["sender"] = User(reviewer),
    };

    /// <summary>One inline comment of a review: GitHub sends one per comment, after the review itself.</summary>
    public static JsonObject ReviewComment(int pullNumber, string headBranch, string reviewer, long reviewId, string path, int line, string body) => new()
    {
        ["action"] = "created",
        ["comment"] = new JsonObject
        {
            ["id"] = 7000 + line,
            ["pull_request_review_id"] = reviewId,
            ["body"] = body,
            ["path"] = path,
            ["line"] = line,
            ["side"] = "RIGHT",
            ["user"] = User(reviewer),
        },
        ["pull_request"] = PullRequest(pullNumber, headBranch, merged: false, state: "open"),
        ["repository"] = Repository(),
        ["sender"] = User(reviewer),
    };

    public static JsonObject Closed(int pullNumber, string headBranch, bool merged, string sender) => new()
    {
        ["action"] = "closed",
        ["number"] = pullNumber,
        ["pull_request"] = PullRequest(pullNumber, headBranch, merged, state: "closed"),
        ["repository"] = Repository(),
        ["sender"] = User(sender),
    };

    private static JsonObject PullRequest(int number, string headBranch, bool merged, string state) => new()
    {
        ["id"] = 5000 + number,
        ["number"] = number,
        ["state"] = state,
        ["title"] = "A pull request",
        ["merged"] = merged,
        ["head"] = new JsonObject { ["ref"] = headBranch, ["sha"] = new string('a', 40) },
        ["base"] = new JsonObject { ["ref"] = "main", ["sha"] = new string('b', 40) },
        ["user"] = User(World.Bot),
    };

    private static JsonObject Repository() => new()
    {
        ["id"] = 1,
        ["name"] = World.Name,
        ["full_name"] = World.Repo,
        ["owner"] = User(World.Owner),
        ["default_branch"] = "main",
    };

    private static JsonObject User(string login) => new() { ["login"] = login, ["id"] = login.GetHashCode(StringComparison.Ordinal) & 0x7fffffff, ["type"] = "User" };
}
