using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>What a bulk status change did, per job, in the order the ids were given.</summary>
public sealed record BulkStatusResponse(JobAdminAction Action, int Succeeded, int Failed, IReadOnlyList<BulkStatusItem> Results);

/// <param name="State">The job's state afterwards, when it exists.</param>
/// <param name="Error">Why the action was refused, when <paramref name="Ok"/> is false.</param>
public sealed record BulkStatusItem(string Id, bool Ok, JobState? State, string? Error);
