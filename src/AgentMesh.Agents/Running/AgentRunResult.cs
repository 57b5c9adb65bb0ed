using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Running;

/// <summary>How a run ended, summed over its attempts (the profile and its fallbacks).</summary>
/// <param name="ProfilesTried">The profiles run, in order; the last one produced this result.</param>
/// <param name="Exit">The last attempt's classified process exit.</param>
/// <param name="SessionId">The CLI session of the last attempt, to resume it later.</param>
/// <param name="FinalText">The last final answer the CLI gave.</param>
/// <param name="AssistantText">Everything the model wrote to the person, in order, across attempts.</param>
/// <param name="Usage">Token usage summed over all attempts.</param>
/// <param name="CostUsd">Cost summed over all attempts, when the CLIs report one.</param>
/// <param name="Error">The last attempt's error, when it failed.</param>
public sealed record AgentRunResult(
    IReadOnlyList<string> ProfilesTried,
    ProcessExit Exit,
    string? SessionId,
    string FinalText,
    string AssistantText,
    AgentUsage Usage,
    decimal? CostUsd,
    AgentFailed? Error)
{
    /// <summary>True when the process succeeded and the CLI reported no error.</summary>
    public bool Succeeded => Exit.Kind == ProcessExitKind.Success && Error is null;

    /// <summary>The profile that produced this result.</summary>
    public string ProfileName => ProfilesTried[^1];
}
