using System.Collections.Concurrent;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Bodies of earlier GETs by identity and URL, with their ETags, so a repeat GET can be conditional: a 304
/// costs no rate limit and the body is served from here.
/// </summary>
internal sealed class GitHubResponseCache(int maxEntries)
{
    private readonly ConcurrentDictionary<string, CachedGitHubResponse> _entries = new(StringComparer.Ordinal);

    public CachedGitHubResponse? Get(string key) => _entries.TryGetValue(key, out var entry) ? entry : null;

    public void Put(string key, CachedGitHubResponse entry)
    {
        // A crude bound rather than an LRU: losing the cache only costs a few full GETs.
        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }
        _entries[key] = entry;
    }
}

/// <summary>One cached GET answer.</summary>
internal sealed record CachedGitHubResponse(string ETag, byte[] Body, Uri? NextPage);
