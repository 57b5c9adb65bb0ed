namespace AgentMesh.Server.Api.Jobs;

/// <summary>Changes the status of several jobs at once.</summary>
/// <param name="Ids">The jobs, at most <see cref="JobsEndpoints.MaxBulkIds"/>.</param>
/// <param name="Action"><c>stop</c>, <c>retry</c> or <c>close</c>.</param>
public sealed record BulkStatusRequest(IReadOnlyList<string>? Ids, string? Action);
