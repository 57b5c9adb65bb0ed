using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AgentMesh.Core;
using Shouldly;

namespace AgentMesh.Server.Tests.Api;

/// <summary>Reads API answers with the wire settings the server uses, and checks problem bodies.</summary>
internal static class ApiJson
{
    public static async Task<T> ReadAsync<T>(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(expected, body);
        return JsonSerializer.Deserialize<T>(body, CoreJson.Options)!;
    }

    /// <summary>Asserts an RFC 7807 problem with this status and exact detail, and returns its body.</summary>
    public static async Task<JsonElement> ShouldBeProblemAsync(this HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        response.StatusCode.ShouldBe(status, body);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        problem.GetProperty("status").GetInt32().ShouldBe((int)status);
        problem.GetProperty("detail").GetString().ShouldBe(detail);
        return problem;
    }

    public static Task<HttpResponseMessage> PostJsonAsync<T>(this HttpClient client, string path, T body) =>
        client.PostAsJsonAsync(path, body, CoreJson.Options);
}
