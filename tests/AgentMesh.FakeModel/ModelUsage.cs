using System.Globalization;
using System.Text.Json.Nodes;

namespace AgentMesh.FakeModel;

/// <summary>The token counts the fake model reports.</summary>
public sealed record ModelUsage(int InputTokens, int OutputTokens, int CacheReadInputTokens, int CacheCreationInputTokens)
{
    internal JsonObject ToJson(int outputTokens) => new()
    {
        ["input_tokens"] = InputTokens,
        ["cache_creation_input_tokens"] = CacheCreationInputTokens,
        ["cache_read_input_tokens"] = CacheReadInputTokens,
        ["output_tokens"] = outputTokens,
        ["service_tier"] = "standard",
    };

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"in={InputTokens} out={OutputTokens} cacheRead={CacheReadInputTokens} cacheWrite={CacheCreationInputTokens}");
}
