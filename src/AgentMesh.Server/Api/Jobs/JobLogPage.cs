using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Api.Jobs;

/// <summary>Log lines of a job, oldest first.</summary>
/// <param name="State">The job's state, read before the lines: when it is terminal, no line written before it finished is missing.</param>
/// <param name="Terminal">The state is final (merged, failed, stopped, closed) unless someone re-runs the job.</param>
/// <param name="Next">Pass as <c>after</c> to read the lines that follow.</param>
public sealed record JobLogPage(string JobId, JobState State, bool Terminal, IReadOnlyList<JobLogLine> Lines, long Next);

/// <param name="Stream"><c>stdout</c>, <c>stderr</c>, <c>agent</c> or <c>system</c>.</param>
public sealed record JobLogLine(long Sequence, DateTimeOffset At, string Stream, string Text);
