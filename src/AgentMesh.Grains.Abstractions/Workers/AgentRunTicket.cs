namespace AgentMesh.Grains.Abstractions.Workers;

/// <summary>
/// What a worker silo's slot hands to an agent-worker grain: the claim it holds on one run of a job.
/// The fence is the run's number: a report carrying an older one is refused by the job.
/// </summary>
/// <param name="JobId">The job.</param>
/// <param name="Owner">The slot that claimed it, <c>node/slot</c>.</param>
/// <param name="Fence">The claim's fencing token.</param>
/// <param name="Job">The job's row as claimed, so the run need not read it again.</param>
[GenerateSerializer]
[Alias("AgentMesh.AgentRunTicket")]
public sealed record AgentRunTicket(
    [property: Id(0)] string JobId,
    [property: Id(1)] string Owner,
    [property: Id(2)] long Fence,
    [property: Id(3)] JobAsClaimed Job)
{
    /// <summary>The key of the agent-worker grain that runs this claim: one grain per job and run.</summary>
    public string WorkerKey => WorkerKeyOf(JobId, Fence);

    /// <summary>The key of the agent-worker grain of run <paramref name="fence"/> of a job.</summary>
    public static string WorkerKeyOf(string jobId, long fence) => $"{jobId}@{fence}";
}

/// <summary>Where and since when an agent-worker grain runs its agent.</summary>
/// <param name="Silo">The silo running the agent (a worker silo).</param>
/// <param name="Running">False once the run has ended.</param>
/// <param name="StartedAt">When the run started.</param>
[GenerateSerializer]
[Alias("AgentMesh.AgentRunStatus")]
public sealed record AgentRunStatus(
    [property: Id(0)] SiloAddress Silo,
    [property: Id(1)] bool Running,
    [property: Id(2)] DateTimeOffset StartedAt);
