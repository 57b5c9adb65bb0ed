namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>Where a piece of untrusted text came from.</summary>
public enum UntrustedPartKind
{
    /// <summary>The body of the issue the job works on: the task itself, always included.</summary>
    IssueBody,

    /// <summary>The body of the pull request a fix round works on: always included.</summary>
    PullRequestBody,

    /// <summary>A comment on the issue or pull request: included only when its author may trigger work.</summary>
    Comment,

    /// <summary>A review or review comment on the pull request: included only when its author may trigger work.</summary>
    ReviewComment,
}
