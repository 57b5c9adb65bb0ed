using System.Globalization;

namespace AgentMesh.Guardrails.Egress;

/// <summary>One connection an agent asked the proxy for, for the job log.</summary>
/// <param name="At">When the proxy decided.</param>
/// <param name="Host">The destination host as the agent asked for it.</param>
/// <param name="Port">The destination port.</param>
/// <param name="Method">CONNECT for tunnels (HTTPS), or the HTTP method of a plain request.</param>
/// <param name="Verdict">What the proxy did.</param>
/// <param name="Reason">Why, in a few words.</param>
public sealed record EgressEvent(DateTimeOffset At, string Host, int Port, string Method, EgressVerdict Verdict, string Reason)
{
    /// <summary>The job-log line, in the words of a firewall report: "blocked connection to evil.example:443 (CONNECT): not in the allowlist".</summary>
    public string ToLogLine() => Verdict switch
    {
        EgressVerdict.Blocked => string.Create(CultureInfo.InvariantCulture, $"blocked connection to {Host}:{Port} ({Method}): {Reason}"),
        EgressVerdict.Unreachable => string.Create(CultureInfo.InvariantCulture, $"allowed connection to {Host}:{Port} ({Method}) failed: {Reason}"),
        _ => string.Create(CultureInfo.InvariantCulture, $"allowed connection to {Host}:{Port} ({Method})"),
    };
}
