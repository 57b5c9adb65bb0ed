using Microsoft.Extensions.Options;

namespace AgentMesh.Agents.Profiles;

/// <summary>Fails the node's start with an exact message when the agent configuration cannot work.</summary>
public sealed class AgentRunnerOptionsValidator : IValidateOptions<AgentRunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, AgentRunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = AgentRunnerOptions.SectionName;
        if (options.GracePeriod <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:GracePeriod must be positive (was {options.GracePeriod}).");
        }
        if (options.Profiles.Count > 0 && !options.Profiles.ContainsKey(options.DefaultProfile))
        {
            failures.Add($"{Section}:DefaultProfile '{options.DefaultProfile}' names no profile (have: {string.Join(", ", options.Profiles.Keys)}).");
        }
        foreach (var (profileName, profile) in options.Profiles)
        {
            var at = $"{Section}:Profiles:{profileName}";
            if (profile.Timeout <= TimeSpan.Zero)
            {
                failures.Add($"{at}:Timeout must be positive (was {profile.Timeout}).");
            }
            if (profile.MaxTurns is <= 0)
            {
                failures.Add($"{at}:MaxTurns must be at least 1 (was {profile.MaxTurns}).");
            }
            if (profile.Cli == AgentCli.Command && string.IsNullOrWhiteSpace(profile.Command))
            {
                failures.Add($"{at}:Command is required when Cli is Command.");
            }
            foreach (var variable in profile.Environment.Keys.Where(k => k.Length == 0 || k.Contains('=', StringComparison.Ordinal)))
            {
                failures.Add($"{at}:Environment has an invalid variable name '{variable}'.");
            }
            var guardrails = new AgentMesh.Guardrails.GuardrailOptions
            {
                EgressAllowlist = profile.EgressAllowlist.Count > 0 ? [.. profile.EgressAllowlist] : null,
                MaxRunCostUsd = profile.MaxRunCostUsd,
                MaxRunTokens = profile.MaxRunTokens,
            };
            failures.AddRange(guardrails.Validate().Select(problem => $"{at}:{problem}"));
            if (profile.Fallback is { } fallback)
            {
                if (!options.Profiles.ContainsKey(fallback))
                {
                    failures.Add($"{at}:Fallback '{fallback}' names no profile.");
                }
                else if (FallbackChainLoops(options, profileName))
                {
                    failures.Add($"{at}:Fallback chain loops back to '{profileName}'.");
                }
            }
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool FallbackChainLoops(AgentRunnerOptions options, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { start };
        var current = options.Profiles[start].Fallback;
        while (current is not null && options.Profiles.TryGetValue(current, out var next))
        {
            if (!seen.Add(current))
            {
                return true;
            }
            current = next.Fallback;
        }
        return false;
    }
}
