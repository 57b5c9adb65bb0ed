using System.Text.Json;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>A job's event history, oldest first.</summary>
/// <param name="Next">Pass as <c>after</c> to read the events that follow.</param>
public sealed record JobEventPage(string JobId, IReadOnlyList<JobEventView> Events, long Next);

/// <param name="Type">The event's snake_case name, e.g. <c>job_created</c>, <c>job_stopped</c>.</param>
/// <param name="Data">The event as stored.</param>
public sealed record JobEventView(long Sequence, DateTimeOffset At, string Type, JsonElement Data);
