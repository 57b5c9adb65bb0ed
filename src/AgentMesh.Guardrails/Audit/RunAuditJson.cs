using System.Text.Json;
using System.Text.Json.Serialization;

namespace AgentMesh.Guardrails.Audit;

/// <summary>
/// How a run's audit is stored: a <c>run_audit</c> event in the job's history, in this JSON form. One place,
/// so the worker that writes it and the API and the dashboard that read it cannot drift apart.
/// </summary>
public static class RunAuditJson
{
    /// <summary>The event type of a run's audit in the job's history.</summary>
    public const string EventType = "run_audit";

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(RunAudit audit) => JsonSerializer.Serialize(audit, Options);

    public static RunAudit Read(string dataJson) =>
        JsonSerializer.Deserialize<RunAudit>(dataJson, Options) ?? throw new JsonException("A run_audit event holds no audit.");
}
