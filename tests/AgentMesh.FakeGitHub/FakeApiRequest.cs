using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgentMesh.FakeGitHub.Model;
using Microsoft.AspNetCore.Http;

namespace AgentMesh.FakeGitHub;

/// <summary>One authenticated API request as the fake's handlers see it.</summary>
internal sealed class FakeApiRequest(HttpContext http, Match route, string body, FakeIdentity identity)
{
    public HttpContext Http { get; } = http;

    public FakeIdentity Identity { get; } = identity;

    public string Body { get; } = body;

    public string Route(string name) => Uri.UnescapeDataString(route.Groups[name].Value);

    public int RouteInt(string name) => int.Parse(route.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);

    public long RouteLong(string name) => long.Parse(route.Groups[name].Value, System.Globalization.CultureInfo.InvariantCulture);

    public string? Query(string name) => Http.Request.Query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The JSON body; a missing or malformed one is GitHub's 400 "Problems parsing JSON".</summary>
    public JsonObject Json() => JsonNode() as JsonObject ?? throw new FakeApiException(400, "Problems parsing JSON");

    /// <summary>The JSON body as any value (some endpoints also take a bare array); malformed is GitHub's 400.</summary>
    public JsonNode JsonNode()
    {
        try
        {
            return System.Text.Json.Nodes.JsonNode.Parse(Body) ?? throw new FakeApiException(400, "Problems parsing JSON");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new FakeApiException(400, "Problems parsing JSON");
        }
    }
}
