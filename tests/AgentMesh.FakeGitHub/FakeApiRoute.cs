using System.Text.RegularExpressions;

namespace AgentMesh.FakeGitHub;

/// <summary>One REST endpoint of the fake: method, path pattern (relative to <c>/api/v3/</c>) and handler (run under the state lock).</summary>
internal sealed record FakeApiRoute(string Method, Regex Pattern, Func<FakeApiRequest, FakeApiResponse> Handler, bool ForApp = false);
