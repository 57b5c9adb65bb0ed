using AgentMesh.Guardrails.Cost;
using AgentMesh.Guardrails.Egress;
using AgentMesh.Guardrails.ProtectedPaths;

namespace AgentMesh.Guardrails;

/// <summary>
/// The guardrail settings of a repository (or a profile, for the egress allowlist), in one place so the node can
/// bind and validate them at start. Hidden-text stripping, the secret scan and the audit trail have no switch:
/// they are always on.
/// </summary>
public sealed record GuardrailOptions
{
    /// <summary>Path patterns whose change needs a maintainer's approval before a push. Null: <c>.github/workflows/**</c>; empty: none.</summary>
    public IReadOnlyList<string>? ProtectedPaths { get; init; }

    /// <summary>Dollars one run may spend. Default: null (no cap).</summary>
    public decimal? MaxRunCostUsd { get; init; }

    /// <summary>Tokens one run may use. Default: null (no cap).</summary>
    public long? MaxRunTokens { get; init; }

    /// <summary>
    /// Hosts a sandboxed agent may reach through the egress proxy (<c>host</c>, <c>host:port</c>, <c>*.suffix</c>;
    /// port 443 when omitted). Null: no proxy (the profile's <c>Network</c> setting decides). Default: null.
    /// </summary>
    public IReadOnlyList<string>? EgressAllowlist { get; init; }

    /// <summary>Every problem with these settings, one sentence each naming the setting; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        foreach (var pattern in ProtectedPaths ?? [])
        {
            if (string.IsNullOrWhiteSpace(pattern))
            {
                problems.Add("ProtectedPaths must not contain a blank pattern.");
            }
        }
        problems.AddRange(CostCap.Validate());
        foreach (var entry in EgressAllowlist ?? [])
        {
            try
            {
                EgressRule.Parse(entry);
            }
            catch (FormatException e)
            {
                problems.Add($"EgressAllowlist: {e.Message}");
            }
        }
        return problems;
    }

    /// <summary>The run cost cap these settings describe.</summary>
    public RunCostCap CostCap => new(MaxRunCostUsd, MaxRunTokens);

    /// <summary>A matcher for <see cref="ProtectedPaths"/>.</summary>
    public ProtectedPathMatcher CreateProtectedPathMatcher() => new(ProtectedPaths);

    /// <summary>The allowlist, or null when no egress proxy is configured.</summary>
    public EgressAllowlist? CreateEgressAllowlist() => EgressAllowlist is null ? null : new EgressAllowlist(EgressAllowlist);
}
