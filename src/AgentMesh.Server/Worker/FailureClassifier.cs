using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Running;
using AgentMesh.Core.Jobs;

namespace AgentMesh.Server.Worker;

/// <summary>
/// Sorts a failed run into transient (worth another attempt: rate limits, 5xx, overloaded, network,
/// a timeout, a crash) or permanent (auth, configuration, or the agent said it cannot do it).
/// </summary>
public static class FailureClassifier
{
    private static readonly string[] PermanentProviderSigns = ["authentication", "invalid x-api-key", "unauthorized", "401", "403", "permission", "invalid_request", "not_found_error", "model not found"];

    public static ErrorClass Classify(AgentRunResult run)
    {
        ArgumentNullException.ThrowIfNull(run);
        if (run.Error is { Kind: AgentErrorKind.Provider } provider)
        {
            return PermanentProviderSigns.Any(sign => provider.Message.Contains(sign, StringComparison.OrdinalIgnoreCase))
                ? ErrorClass.Permanent
                : ErrorClass.Transient;
        }
        return run.Exit.Kind switch
        {
            ProcessExitKind.Timeout or ProcessExitKind.Crashed => ErrorClass.Transient,
            _ when run.Error is { Kind: AgentErrorKind.MaxTurns } => ErrorClass.Permanent,
            _ when run.Error is { Kind: AgentErrorKind.Agent } => ErrorClass.Permanent,
            _ => ErrorClass.Permanent,
        };
    }
}
