namespace AgentMesh.Server.Api.Jobs;

/// <summary>A page of jobs, newest first.</summary>
/// <param name="HasMore">More jobs match after this page (ask again with offset + limit).</param>
public sealed record JobListPage(IReadOnlyList<JobSummary> Items, int Limit, int Offset, bool HasMore);
