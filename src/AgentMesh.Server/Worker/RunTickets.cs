using AgentMesh.Grains.Abstractions.Workers;
using AgentMesh.Storage.Abstractions;

namespace AgentMesh.Server.Worker;

/// <summary>Tickets for runs, made from the claimed job's row.</summary>
public static class RunTickets
{
    /// <summary>
    /// The ticket of the run that holds <paramref name="claimed"/>'s lease, carrying the row itself (what the run
    /// reads of it) so the run starts without reading the row again.
    /// </summary>
    /// <exception cref="ArgumentException">The job holds no claim.</exception>
    public static AgentRunTicket Of(JobRecord claimed)
    {
        ArgumentNullException.ThrowIfNull(claimed);
        var owner = claimed.LeaseOwner ?? throw new ArgumentException($"Job {claimed.Id} holds no claim.", nameof(claimed));
        return new AgentRunTicket(claimed.Id, owner, claimed.Fence, new JobAsClaimed(claimed.Repo, claimed.DataJson));
    }
}
