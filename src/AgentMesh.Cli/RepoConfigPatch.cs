using System.Text.Json.Nodes;

namespace AgentMesh.Cli;

/// <summary>
/// The settings <c>agentmesh repos set</c> was given, applied onto the configuration the server
/// holds. Works on the JSON itself, so settings this CLI does not know about (a newer server)
/// are sent back unchanged rather than reset. A null member means "not given: keep".
/// </summary>
/// <param name="TriggerLabel">An empty string turns the label trigger off.</param>
/// <param name="AllowedUsers">An empty list allows anyone with write permission.</param>
/// <param name="HourlyTokenBudget">0 removes the budget (unlimited).</param>
/// <param name="DailyTokenBudget">0 removes the budget (unlimited).</param>
public sealed record RepoConfigPatch(
    bool? Enabled = null,
    bool? AutoSolve = null,
    string? TriggerLabel = null,
    IReadOnlyList<string>? AllowedUsers = null,
    int? MaxConcurrentJobs = null,
    long? HourlyTokenBudget = null,
    long? DailyTokenBudget = null,
    string? AgentProfile = null)
{
    public bool IsEmpty => this == new RepoConfigPatch();

    /// <summary>Returns a copy of <paramref name="config"/> (the server's camelCase JSON) with the given settings replaced.</summary>
    public JsonObject ApplyTo(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var result = (JsonObject)config.DeepClone();
        Set(result, "enabled", Enabled);
        Set(result, "autoSolve", AutoSolve);
        if (TriggerLabel is not null)
        {
            result["triggerLabel"] = TriggerLabel.Length == 0 ? null : TriggerLabel;
        }
        if (AllowedUsers is not null)
        {
            result["allowedUsers"] = new JsonArray([.. AllowedUsers.Select(u => (JsonNode?)JsonValue.Create(u))]);
        }
        Set(result, "maxConcurrentJobs", MaxConcurrentJobs);
        SetBudget(result, "hourlyTokenBudget", HourlyTokenBudget);
        SetBudget(result, "dailyTokenBudget", DailyTokenBudget);
        if (AgentProfile is not null)
        {
            result["agentProfile"] = AgentProfile;
        }
        return result;
    }

    /// <summary>Splits <c>a,b</c> into logins; an empty value is the empty list.</summary>
    public static IReadOnlyList<string> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
    }

    private static void Set<T>(JsonObject config, string name, T? value)
        where T : struct
    {
        if (value is { } given)
        {
            config[name] = JsonValue.Create(given);
        }
    }

    private static void SetBudget(JsonObject config, string name, long? value)
    {
        if (value is { } given)
        {
            config[name] = given == 0 ? null : JsonValue.Create(given);
        }
    }
}
