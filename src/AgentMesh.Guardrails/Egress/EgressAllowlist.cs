namespace AgentMesh.Guardrails.Egress;

/// <summary>The hosts a sandboxed agent may reach (a profile setting), e.g. <c>api.anthropic.com</c>, <c>*.githubusercontent.com:443</c>.</summary>
public sealed class EgressAllowlist
{
    /// <summary>Parses every entry; an invalid one throws a <see cref="FormatException"/> naming it, so a bad profile fails at start.</summary>
    public EgressAllowlist(IEnumerable<string> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Rules = [.. entries.Select(EgressRule.Parse)];
    }

    /// <summary>The parsed entries.</summary>
    public IReadOnlyList<EgressRule> Rules { get; }

    /// <summary>True when some entry allows <paramref name="host"/>:<paramref name="port"/>.</summary>
    public bool IsAllowed(string host, int port)
    {
        var normalized = NormalizeHost(host);
        return Rules.Any(rule => rule.Allows(normalized, port));
    }

    /// <summary>Host names compare case-insensitively and "example.com." is "example.com"; IPv6 brackets are dropped.</summary>
    internal static string NormalizeHost(string host) => host.Trim().TrimStart('[').TrimEnd(']').TrimEnd('.').ToLowerInvariant();
}
