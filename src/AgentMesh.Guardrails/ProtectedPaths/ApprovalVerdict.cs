namespace AgentMesh.Guardrails.ProtectedPaths;

/// <summary>What a comment means for a run waiting for approval.</summary>
public enum ApprovalVerdict
{
    /// <summary>The comment holds no approval command: the run keeps waiting.</summary>
    NotACommand,

    /// <summary>An approval from someone with write access: push and open the pull request.</summary>
    Approved,

    /// <summary>An approval command from someone without write access: the run keeps waiting.</summary>
    RefusedNoWriteAccess,

    /// <summary>An approval command written by a bot (AgentMesh itself included): the run keeps waiting.</summary>
    RefusedBot,
}
