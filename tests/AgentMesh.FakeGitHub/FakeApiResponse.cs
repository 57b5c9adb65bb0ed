using System.Text.Json.Nodes;

namespace AgentMesh.FakeGitHub;

/// <summary>
/// What a handler answers: a status and a JSON body. A <see cref="JsonArray"/> with <see cref="Paged"/> is
/// paginated by the pipeline, and wrapped as <c>{"total_count": n, WrapIn: page}</c> when <see cref="WrapIn"/> is set.
/// </summary>
internal sealed record FakeApiResponse(int StatusCode, JsonNode? Body, bool Paged = false, string? WrapIn = null)
{
    public static FakeApiResponse Ok(JsonNode body) => new(200, body);

    public static FakeApiResponse Created(JsonNode body) => new(201, body);

    public static FakeApiResponse List(IEnumerable<JsonNode> items) => new(200, new JsonArray([.. items]), Paged: true);

    public static FakeApiResponse NoContent() => new(204, null);
}
