namespace AgentMesh.Core.Jobs;

/// <summary>One state change, kept in the bounded <see cref="JobActorState.History"/>.</summary>
/// <param name="From">State before.</param>
/// <param name="To">State after.</param>
/// <param name="Command">The command that caused it (its type name, e.g. "ReplyReceived").</param>
/// <param name="At">When.</param>
/// <param name="Attempt">The job's attempt number after the change.</param>
public sealed record JobTransition(JobState From, JobState To, string Command, DateTimeOffset At, int Attempt);
