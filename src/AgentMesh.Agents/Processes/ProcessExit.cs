namespace AgentMesh.Agents.Processes;

/// <summary>The classified end of an agent process.</summary>
/// <param name="Kind">The classification.</param>
/// <param name="ExitCode">The raw exit code as .NET reports it (128 + signal number when a signal ended it).</param>
/// <param name="Signal">The signal that ended the process, when one did.</param>
/// <param name="Duration">Wall time from start to exit.</param>
public sealed record ProcessExit(ProcessExitKind Kind, int ExitCode, int? Signal, TimeSpan Duration)
{
    /// <summary>A short human-readable description, e.g. "timeout (killed by signal 15)".</summary>
    public string Describe() => Kind switch
    {
        ProcessExitKind.Success => "success",
        ProcessExitKind.AgentError => $"agent error (exit code {ExitCode})",
        ProcessExitKind.Timeout => Signal is { } s ? $"timeout (ended by signal {s})" : $"timeout (exit code {ExitCode})",
        ProcessExitKind.Stopped => Signal is { } s ? $"stopped (ended by signal {s})" : $"stopped (exit code {ExitCode})",
        ProcessExitKind.Crashed => $"crashed (signal {Signal})",
        _ => Kind.ToString(),
    };
}
