namespace AgentMesh.FakeGitHub;

/// <summary>Thrown by a fake endpoint to answer with GitHub's error body.</summary>
internal sealed class FakeApiException(int statusCode, string message, string documentation = "overview/resources-in-the-rest-api", System.Text.Json.Nodes.JsonArray? errors = null)
    : Exception(message)
{
    public int StatusCode { get; } = statusCode;

    public string Documentation { get; } = documentation;

    public System.Text.Json.Nodes.JsonArray? Errors { get; } = errors;

    public static FakeApiException NotFound() => new(404, "Not Found");
}
