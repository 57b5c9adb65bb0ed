using System.Globalization;
using System.Text.RegularExpressions;
using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;

namespace AgentMesh.Agents.Adapters;

/// <summary>Aider's plain text, with its token and cost report lines recognised.</summary>
public sealed partial class AiderOutputParser : PlainTextOutputParser
{
    public override IReadOnlyList<AgentEvent> Parse(OutputLine line)
    {
        var events = new List<AgentEvent>(base.Parse(line));
        var tokens = TokensLine().Match(line.Text);
        if (line.Stream == OutputStream.Stdout && tokens.Success)
        {
            events.Add(new UsageReported(new AgentUsage(Count(tokens.Groups["sent"].Value), Count(tokens.Groups["received"].Value),
                tokens.Groups["cacheRead"].Success ? Count(tokens.Groups["cacheRead"].Value) : 0,
                tokens.Groups["cacheWrite"].Success ? Count(tokens.Groups["cacheWrite"].Value) : 0)));
            if (tokens.Groups["session"].Success)
            {
                events.Add(new CostReported(decimal.Parse(tokens.Groups["session"].Value, CultureInfo.InvariantCulture)));
            }
        }
        return events;
    }

    /// <summary>"2.1k" → 2100, "1.2M" → 1200000, "950" → 950.</summary>
    internal static long Count(string text)
    {
        var multiplier = text[^1] switch { 'k' or 'K' => 1_000m, 'm' or 'M' => 1_000_000m, _ => 1m };
        var number = multiplier == 1m ? text : text[..^1];
        return (long)(decimal.Parse(number.Replace(",", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) * multiplier);
    }

    [GeneratedRegex(@"^Tokens: (?<sent>[\d.,]+[kKmM]?) sent, (?:(?<cacheWrite>[\d.,]+[kKmM]?) cache write, )?(?:(?<cacheRead>[\d.,]+[kKmM]?) cache hit, )?(?<received>[\d.,]+[kKmM]?) received\.(?: Cost: \$(?<message>[\d.]+) message, \$(?<session>[\d.]+) session\.)?", RegexOptions.CultureInvariant)]
    private static partial Regex TokensLine();
}
