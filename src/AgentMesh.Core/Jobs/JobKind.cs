namespace AgentMesh.Core.Jobs;

/// <summary>What a job was created to do. Part of the job's natural key (repo + number + kind).</summary>
public enum JobKind
{
    /// <summary>Solve an issue: the work ends in a new pull request.</summary>
    SolveIssue,

    /// <summary>Address review feedback on an existing pull request: the work ends in a push to its branch.</summary>
    FixPullRequest,
}
