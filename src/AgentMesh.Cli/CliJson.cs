using System.Text.Json;
using AgentMesh.Core;

namespace AgentMesh.Cli;

/// <summary>Reads the admin API's answers into the server's own contract types (same wire form: <see cref="CoreJson"/>).</summary>
public static class CliJson
{
    public static T Read<T>(string body)
    {
        try
        {
            return JsonSerializer.Deserialize<T>(body, CoreJson.Options)
                ?? throw new AdminApiException($"the server answered an empty {typeof(T).Name}.");
        }
        catch (JsonException ex)
        {
            throw new AdminApiException($"the server's answer is not a {typeof(T).Name}: {ex.Message}", ex);
        }
    }

    public static string Write<T>(T value) => JsonSerializer.Serialize(value, CoreJson.Options);
}
