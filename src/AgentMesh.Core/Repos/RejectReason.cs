namespace AgentMesh.Core.Repos;

/// <summary>Why an event does not become work. Final: the same event will never be admitted.</summary>
public enum RejectReason
{
    Disabled,
    BotOwnComment,
    AuthorNotAllowed,
    AutoSolveOff,
    LabelNotTrigger,
    MentionMissing,
    ExcludedLabel,
    IncludeLabelMissing,
}
