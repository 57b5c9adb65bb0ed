using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>One job in full: its summary, the store's claim columns, and the actor's whole state.</summary>
/// <param name="NaturalKey">Unique per piece of work, e.g. <c>acme/web#12:solve_issue</c>.</param>
/// <param name="Fence">The fencing token; every claim and every release raises it.</param>
/// <param name="Version">The row's version; every turn raises it.</param>
/// <param name="Actor">The job actor's state as last saved (history, mailbox, clarification, usage…).</param>
public sealed record JobDetail(
    JobSummary Summary,
    string NaturalKey,
    int Priority,
    DateTimeOffset? ClaimedAt,
    long Fence,
    long Version,
    JobActorState Actor);
