namespace AgentMesh.Core.Jobs.Events;

/// <summary>Why a job was closed.</summary>
public enum JobCloseReason
{
    /// <summary>The issue was closed (or the card moved to Closed) before a pull request existed.</summary>
    IssueClosed,

    /// <summary>The job's pull request was closed without merging.</summary>
    PullRequestClosedWithoutMerge,
}
