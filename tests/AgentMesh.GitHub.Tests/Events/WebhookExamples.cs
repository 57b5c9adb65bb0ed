using System.Text.Json;
using AgentMesh.Testing;

namespace AgentMesh.GitHub.Tests.Events;

/// <summary>GitHub's real payloads from the pinned npm package @octokit/webhooks-examples.</summary>
public static class WebhookExamples
{
    public static readonly string[] Events =
        ["ping", "push", "issues", "issue_comment", "pull_request", "pull_request_review", "pull_request_review_comment", "installation", "installation_repositories", "member"];

    private static readonly Lazy<Dictionary<string, List<byte[]>>> All = new(Load);

    /// <summary>(event, index) for every example of the subscribed events: one test case each.</summary>
    public static TheoryData<string, int> Cases()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Events)
        {
            for (var i = 0; i < All.Value[name].Count; i++)
            {
                data.Add(name, i);
            }
        }
        return data;
    }

    public static byte[] Payload(string eventName, int index) => All.Value[eventName][index];

    private static Dictionary<string, List<byte[]>> Load()
    {
        var file = Path.Combine(RepoPaths.RequireNpmPackage("@octokit/webhooks-examples"), "api.github.com", "index.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        var result = new Dictionary<string, List<byte[]>>(StringComparer.Ordinal);
        foreach (var entry in document.RootElement.EnumerateArray())
        {
            var name = entry.GetProperty("name").GetString()!;
            if (Events.Contains(name))
            {
                result[name] = [.. entry.GetProperty("examples").EnumerateArray().Select(e => JsonSerializer.SerializeToUtf8Bytes(e))];
            }
        }
        foreach (var name in Events)
        {
            if (!result.TryGetValue(name, out var examples) || examples.Count == 0)
            {
                throw new InvalidOperationException($"@octokit/webhooks-examples has no examples for '{name}'; is the pinned version 7.6.1 installed?");
            }
        }
        return result;
    }
}
