namespace AgentMesh.Grains.Abstractions.Workers;

/// <summary>
/// What a run reads of its job's row besides the ticket's id, owner and fence, as the claim's own statement
/// returned it. Carried from the claim to the run so the run starts without reading the row again: one store
/// round trip fewer between the webhook and the agent. It is the row a read just after the claim would give; the
/// run decides nothing on it that a later turn could have changed unseen (its <c>Start</c> turn answers the job's
/// state as the run then finds it).
/// </summary>
/// <param name="Repo">The job's repo, <c>owner/name</c>, as the job spells it.</param>
/// <param name="DataJson">The job actor's state (Core's JSON) as claimed.</param>
[GenerateSerializer]
[Immutable]
[Alias("AgentMesh.JobAsClaimed")]
public sealed record JobAsClaimed([property: Id(0)] string Repo, [property: Id(1)] string DataJson);
