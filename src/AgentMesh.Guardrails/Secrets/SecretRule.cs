using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.Secrets;

/// <summary>One kind of credential: a pattern, and optionally a check on the captured value (the "value" group, else the whole match).</summary>
/// <param name="Id">Stable id, shown in findings.</param>
/// <param name="Description">What a match is, shown in findings.</param>
/// <param name="Pattern">Where the credential is.</param>
/// <param name="Accept">A further test of the value (entropy, not a placeholder); null accepts every match.</param>
/// <param name="Literal">Text every match contains: a line without it is skipped before the regex runs, which keeps long lines cheap.</param>
internal sealed record SecretRule(string Id, string Description, Regex Pattern, Func<string, bool>? Accept = null, string? Literal = null)
{
    /// <summary>The matches of this rule in <paramref name="line"/> that pass <see cref="Accept"/>, as ranges of the line.</summary>
    public IEnumerable<(int Start, int End)> Find(string line)
    {
        if (Literal is not null && !line.Contains(Literal, StringComparison.Ordinal))
        {
            yield break;
        }
        foreach (Match match in Pattern.Matches(line))
        {
            var value = match.Groups["value"] is { Success: true } group ? group : (Group)match;
            if (Accept is null || Accept(value.Value))
            {
                yield return (value.Index, value.Index + value.Length);
            }
        }
    }
}
