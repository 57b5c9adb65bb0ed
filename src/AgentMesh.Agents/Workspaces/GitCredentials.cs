using System.Text;

namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// Hands a GitHub token to git through its configuration environment (<c>GIT_CONFIG_COUNT</c>,
/// <c>GIT_CONFIG_KEY_0=http.extraHeader</c>, <c>GIT_CONFIG_VALUE_0=Authorization: Basic …</c>): never in a
/// URL (it would land in .git/config and error messages), an argument (visible in ps) or a log.
/// </summary>
public static class GitCredentials
{
    /// <summary>The variables that make git send <paramref name="token"/> as the x-access-token user's password.</summary>
    public static IReadOnlyDictionary<string, string> Environment(string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(token);
        var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token));
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GIT_CONFIG_COUNT"] = "1",
            ["GIT_CONFIG_KEY_0"] = "http.extraHeader",
            ["GIT_CONFIG_VALUE_0"] = "Authorization: Basic " + basic,
        };
    }
}
