namespace AgentMesh.Server.Api.Jobs;

/// <summary>What a person may do to a job through the admin API.</summary>
public enum JobAdminAction
{
    /// <summary>Stop it (any open state); the worker's lease is released and its fence raised.</summary>
    Stop,

    /// <summary>Re-run a finished job: a new run from attempt 1.</summary>
    Retry,

    /// <summary>Close it as if its issue were closed (an open job without a pull request).</summary>
    Close,
}
