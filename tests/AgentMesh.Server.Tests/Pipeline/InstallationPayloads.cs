using System.Text.Json.Nodes;

namespace AgentMesh.Server.Tests.Pipeline;

/// <summary>
/// GitHub's real <c>installation</c> and <c>installation_repositories</c> payloads (Payloads/*.json, copied from
/// @octokit/webhooks-examples 7.6.1), as they are or with the account, installation id and repositories a test
/// needs; every other field stays GitHub's.
/// </summary>
internal static class InstallationPayloads
{
    /// <summary>The example as GitHub sent it.</summary>
    public static JsonObject Example(string file) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Pipeline", "Payloads", file)))!.AsObject();

    public static JsonObject Created(string account, long installationId, params string[] repos) =>
        With(Example("installation.created.json"), account, installationId, "repositories", repos);

    public static JsonObject Deleted(string account, long installationId) =>
        With(Example("installation.deleted.json"), account, installationId, "repositories", []);

    public static JsonObject ReposAdded(string account, long installationId, params string[] repos) =>
        With(Example("installation_repositories.added.json"), account, installationId, "repositories_added", repos);

    public static JsonObject ReposRemoved(string account, long installationId, params string[] repos) =>
        With(Example("installation_repositories.removed.json"), account, installationId, "repositories_removed", repos);

    private static JsonObject With(JsonObject payload, string account, long installationId, string listName, string[] repos)
    {
        var installation = payload["installation"]!.AsObject();
        installation["id"] = installationId;
        installation["account"]!["login"] = account;
        payload["sender"]!["login"] = account;
        // Each listed repository keeps the shape of the example's first one (id, node_id, name, full_name, private).
        var shape = payload[listName]!.AsArray()[0]!;
        var list = new JsonArray();
        var id = 1000;
        foreach (var full in repos)
        {
            var repo = shape.DeepClone().AsObject();
            repo["id"] = id++;
            repo["full_name"] = full;
            repo["name"] = full[(full.IndexOf('/', StringComparison.Ordinal) + 1)..];
            list.Add(repo);
        }
        payload[listName] = list;
        return payload;
    }
}
