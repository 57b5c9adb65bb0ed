namespace AgentMesh.Grains.Jobs;

/// <summary>
/// Tells a job that one of its runs is lost (its agent-worker grain runs it no more). Implemented by the
/// node, which sends the job the <c>RunLost</c> command in a turn fenced by that run: a run that already
/// reported, was stopped, or was superseded is left alone.
/// </summary>
public interface IJobRunRescue
{
    /// <summary>Reports run <paramref name="fence"/> of <paramref name="owner"/> lost; a no-op when the job moved on.</summary>
    Task RunLostAsync(string jobId, string owner, long fence);
}
