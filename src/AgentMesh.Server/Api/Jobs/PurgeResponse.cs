namespace AgentMesh.Server.Api.Jobs;

/// <summary>How many finished jobs were deleted, with their logs, events and mail.</summary>
/// <param name="Cutoff">Terminal jobs last updated before this time were deleted.</param>
public sealed record PurgeResponse(int Purged, DateTimeOffset Cutoff);
