using AgentMesh.Grains.Abstractions.Workers;

namespace AgentMesh.Grains.Tests;

/// <summary>Run tickets for grain tests, whose run hosts never read the job's row the ticket carries.</summary>
internal static class Tickets
{
    public static AgentRunTicket For(string jobId, string owner, long fence) =>
        new(jobId, owner, fence, new JobAsClaimed("acme/widgets", "{}"));
}
