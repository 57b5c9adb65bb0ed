using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AgentMesh.Agents.Outcomes;

/// <summary>
/// Finds the agent's outcome block: the LAST fenced code block (```json, or an unlabelled fence) whose JSON
/// object has an "agentmesh" key. Earlier blocks lose because agents quote the instructions back or change
/// their mind; malformed or unknown blocks are ignored rather than trusted.
/// </summary>
public static partial class OutcomeBlockParser
{
    /// <summary>The outcome the text declares, or null when it declares none that is valid.</summary>
    public static AgentOutcome? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = FencedBlock().Matches(text);
        for (var i = matches.Count - 1; i >= 0; i--)
        {
            if (TryRead(matches[i].Groups["body"].Value) is { } outcome)
            {
                return outcome;
            }
        }
        return null;
    }

    private static AgentOutcome? TryRead(string body)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (json?[OutcomeProtocol.Key] is not JsonValue marker || !marker.TryGetValue<string>(out var kind))
        {
            return null;
        }
        switch (kind)
        {
            case "pr_ready":
                var summary = json["summary"] is JsonValue s && s.TryGetValue<string>(out var text) ? text.Trim() : "";
                return AgentOutcome.PrReady(summary, "The agent declared pr_ready.");
            case "needs_clarification":
                var questions = (json["questions"] as JsonArray ?? [])
                    .Select(q => q is JsonValue v && v.TryGetValue<string>(out var question) ? question.Trim() : null)
                    .OfType<string>()
                    .Where(q => q.Length > 0)
                    .ToList();
                return questions.Count == 0 ? null : AgentOutcome.NeedsClarification(questions);
            default:
                return null;
        }
    }

    [GeneratedRegex(@"```(?:json|JSON)?[ \t]*\r?\n(?<body>.*?)\r?\n[ \t]*```", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex FencedBlock();
}
