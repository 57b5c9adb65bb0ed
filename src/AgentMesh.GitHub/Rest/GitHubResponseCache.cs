using System.Collections.Concurrent;
using Octokit.Caching;
using Octokit.Internal;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// The store behind Octokit's conditional GETs (<see cref="IResponseCache"/>): Octokit sends
/// <c>If-None-Match</c> with the stored ETag and serves a 304 from here, and a 304 costs no rate limit.
/// One store per factory, bounded; entries are keyed by identity and URL so one credential never sees
/// another's answers.
/// </summary>
internal sealed class GitHubResponseCache(int maxEntries)
{
    private readonly ConcurrentDictionary<string, CachedResponse.V1> _entries = new(StringComparer.Ordinal);

    /// <summary>The view of one identity, for its Octokit connection.</summary>
    public IResponseCache For(string fingerprint) => new IdentityView(this, fingerprint);

    private void Put(string key, CachedResponse.V1 entry)
    {
        // A crude bound rather than an LRU: losing the cache only costs a few full GETs.
        if (_entries.Count >= maxEntries)
        {
            _entries.Clear();
        }
        _entries[key] = entry;
    }

    private sealed class IdentityView(GitHubResponseCache store, string fingerprint) : IResponseCache
    {
        public Task<CachedResponse.V1> GetAsync(IRequest request) =>
            Task.FromResult(store._entries.TryGetValue(Key(request), out var entry) ? entry : null!);

        public Task SetAsync(IRequest request, CachedResponse.V1 cachedResponse)
        {
            // Octokit only offers successful answers; one without an ETag could never be revalidated.
            if (cachedResponse.ApiInfo?.Etag is { Length: > 0 })
            {
                store.Put(Key(request), cachedResponse);
            }
            return Task.CompletedTask;
        }

        private string Key(IRequest request) =>
            fingerprint + " " + new Uri(request.BaseAddress, request.Endpoint).AbsoluteUri;
    }
}
