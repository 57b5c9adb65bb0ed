using System.Text.Json.Serialization;
using AgentMesh.GitHub.Events;
using AgentMesh.GitHub.Models;
using AgentMesh.GitHub.Rest.Requests;
using AgentMesh.GitHub.Rest.Responses;

namespace AgentMesh.GitHub;

/// <summary>
/// Source-generated JSON for webhook payloads and REST bodies: no reflection, GitHub's snake_case names,
/// unknown properties ignored so new fields GitHub adds never break parsing.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PingEvent))]
[JsonSerializable(typeof(IssuesEvent))]
[JsonSerializable(typeof(IssueCommentEvent))]
[JsonSerializable(typeof(PullRequestEvent))]
[JsonSerializable(typeof(PullRequestReviewEvent))]
[JsonSerializable(typeof(PullRequestReviewCommentEvent))]
[JsonSerializable(typeof(InstallationEvent))]
[JsonSerializable(typeof(InstallationRepositoriesEvent))]
[JsonSerializable(typeof(MemberEvent))]
[JsonSerializable(typeof(GitHubRepository))]
[JsonSerializable(typeof(IReadOnlyList<GitHubRepository>))]
[JsonSerializable(typeof(GitHubIssue))]
[JsonSerializable(typeof(GitHubComment))]
[JsonSerializable(typeof(IReadOnlyList<GitHubComment>))]
[JsonSerializable(typeof(IReadOnlyList<GitHubLabel>))]
[JsonSerializable(typeof(GitHubPullRequest))]
[JsonSerializable(typeof(IReadOnlyList<GitHubPullRequest>))]
[JsonSerializable(typeof(GitHubReview))]
[JsonSerializable(typeof(IReadOnlyList<GitHubReviewComment>))]
[JsonSerializable(typeof(GitHubUser))]
[JsonSerializable(typeof(InstallationRepositoriesPage))]
[JsonSerializable(typeof(IReadOnlyList<RepositoryInvitation>))]
[JsonSerializable(typeof(GitHubHook))]
[JsonSerializable(typeof(RateLimitResponse))]
[JsonSerializable(typeof(CollaboratorPermission))]
[JsonSerializable(typeof(InstallationAccessToken))]
[JsonSerializable(typeof(GitHubError))]
[JsonSerializable(typeof(GitHubErrorDetail))]
[JsonSerializable(typeof(NewIssue))]
[JsonSerializable(typeof(CommentBody))]
[JsonSerializable(typeof(IssueStateChange))]
[JsonSerializable(typeof(LabelsBody))]
[JsonSerializable(typeof(NewPullRequest))]
[JsonSerializable(typeof(NewReview))]
[JsonSerializable(typeof(NewWebhook))]
public sealed partial class GitHubJsonContext : JsonSerializerContext;
