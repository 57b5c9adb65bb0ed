namespace AgentMesh.Core.Repos;

/// <summary>The kind of GitHub event that may become work.</summary>
public enum TriggerKind
{
    /// <summary>An issue was opened (works only with <see cref="RepoConfig.AutoSolve"/>).</summary>
    IssueOpened,

    /// <summary>A label was added to an issue (works when it is the trigger label).</summary>
    IssueLabeled,

    /// <summary>A comment on an issue or PR (works when it contains the trigger mention).</summary>
    CommentMention,

    /// <summary>A review with changes requested on a pull request AgentMesh follows.</summary>
    PullRequestReview,
}
