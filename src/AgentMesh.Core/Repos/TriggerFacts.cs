namespace AgentMesh.Core.Repos;

/// <summary>What the webhook handler learned about an event, in the form the admission decision needs.</summary>
/// <param name="Kind">The kind of event.</param>
/// <param name="Author">Login of the person who caused it (opened, labeled, commented, reviewed).</param>
/// <param name="AuthorHasWritePermission">Whether the author can write to the repository (looked up by the caller).</param>
/// <param name="Labels">The (or PR's) labels after the event.</param>
/// <param name="AddedLabel">For <see cref="TriggerKind.IssueLabeled"/>: the label just added.</param>
/// <param name="CommentBody">For comments and reviews: the text.</param>
/// <param name="IsBotOwnComment">True when AgentMesh itself is the author (it must never trigger itself).</param>
/// <param name="RunningJobs">Jobs of this repo currently running.</param>
public sealed record TriggerFacts(
    TriggerKind Kind,
    string Author,
    bool AuthorHasWritePermission,
    IReadOnlyList<string> Labels,
    string? AddedLabel,
    string? CommentBody,
    bool IsBotOwnComment,
    int RunningJobs);
