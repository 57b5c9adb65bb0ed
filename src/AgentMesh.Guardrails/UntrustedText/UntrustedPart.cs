namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>One piece of text written on GitHub that a prompt may include.</summary>
/// <param name="Kind">Body, comment or review comment.</param>
/// <param name="Author">The author's login as GitHub reports it.</param>
/// <param name="Association">The author's relation to the repository.</param>
/// <param name="Text">The raw markdown, as written (the builder sanitizes it).</param>
/// <param name="Title">For an issue or pull request body: its title (also untrusted); null otherwise.</param>
public sealed record UntrustedPart(
    UntrustedPartKind Kind,
    string Author,
    AuthorAssociation Association,
    string Text,
    string? Title = null)
{
    /// <summary>True for the issue or pull request body, which is the task itself rather than a conversation.</summary>
    public bool IsBody => Kind is UntrustedPartKind.IssueBody or UntrustedPartKind.PullRequestBody;
}
