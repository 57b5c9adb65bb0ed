using System.Text;
using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.Secrets;

/// <summary>
/// Scans what a run is about to push for credentials: the lines its diff adds, and any other text that leaves
/// with it (commit messages). Besides the built-in rules it looks for the node's own secrets — the values the
/// node holds for its agents and itself — as written and base64-encoded, since an agent that can read one can
/// also write it into a file. Findings name file, line and kind; the values never leave this type.
/// </summary>
public sealed class SecretScanner
{
    /// <summary>Node secrets shorter than this are not searched for: they would match ordinary text.</summary>
    public const int MinimumNodeSecretLength = 8;

    private readonly IReadOnlyList<SecretRule> _rules;

    /// <summary>Creates a scanner that also looks for <paramref name="nodeSecretValues"/> (null or empty values are skipped).</summary>
    public SecretScanner(IEnumerable<string?>? nodeSecretValues = null)
    {
        var nodeRules = (nodeSecretValues ?? [])
            .Where(v => v is { Length: >= MinimumNodeSecretLength })
            .Select(v => v!)
            .SelectMany(v => new[] { v, Convert.ToBase64String(Encoding.UTF8.GetBytes(v)).TrimEnd('=') })
            .Distinct(StringComparer.Ordinal)
            .Select(v => new SecretRule("node-secret", "a secret configured on this node",
                new Regex(Regex.Escape(v), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1))))
            .ToList();
        // The node's own secrets first: "configured on this node" tells the operator exactly what to rotate.
        _rules = [.. nodeRules, .. SecretRules.BuiltIn];
    }

    /// <summary>Scans the added lines of a unified diff (<c>git diff base..HEAD</c>).</summary>
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">
    /// A backstop on input no rule was written for: treat the run as not pushable, never as clean.
    /// </exception>
    public SecretScanResult ScanDiff(string unifiedDiff)
    {
        var diff = UnifiedDiff.Parse(unifiedDiff);
        var findings = diff.AddedLines.SelectMany(line => ScanLine(line.Path, line.Line, line.Text)).ToList();
        return new SecretScanResult(findings, diff.BinaryFiles);
    }

    /// <summary>Scans text that is not a diff (a commit message, a PR body); <paramref name="label"/> stands for the file in findings.</summary>
    public IReadOnlyList<SecretFinding> ScanText(string label, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return [.. text.ReplaceLineEndings("\n").Split('\n').SelectMany((line, index) => ScanLine(label, index + 1, line))];
    }

    /// <summary>
    /// <paramref name="text"/> with every credential replaced by <c>[redacted: kind]</c>: for text that is kept
    /// and shown (an audit trail's command lines), where a finding alone would lose the rest of the line.
    /// </summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        var position = 0;
        foreach (var (start, end, rule) in Matches(text).OrderBy(m => m.Start))
        {
            builder.Append(text, position, start - position).Append("[redacted: ").Append(rule.Description).Append(']');
            position = end;
        }
        return builder.Append(text, position, text.Length - position).ToString();
    }

    private IEnumerable<SecretFinding> ScanLine(string path, int lineNumber, string text) =>
        Matches(text).Select(m => new SecretFinding(path, lineNumber, m.Rule.Id, m.Rule.Description));

    private List<(int Start, int End, SecretRule Rule)> Matches(string text)
    {
        var matches = new List<(int Start, int End, SecretRule Rule)>();
        foreach (var rule in _rules)
        {
            foreach (var (start, end) in rule.Find(text))
            {
                // One finding per credential: a later, vaguer rule matching the same text adds nothing.
                if (!matches.Any(c => start < c.End && c.Start < end))
                {
                    matches.Add((start, end, rule));
                }
            }
        }
        return matches;
    }
}
