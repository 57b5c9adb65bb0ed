using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using AgentMesh.Core.Jobs;

namespace AgentMesh.Dashboard.Jobs;

/// <summary>
/// An issue named by its web address. Only the path's last four segments count (OWNER/REPO/issues/N): GitHub
/// Enterprise and the tests' fake serve issues below other hosts and path prefixes.
/// </summary>
public sealed record IssueReference(string Repo, int Number)
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IssueReference? issue, [NotNullWhen(false)] out string? problem)
    {
        issue = null;
        problem = $"'{text}' is not an issue address: expected https://github.com/OWNER/REPO/issues/N.";
        if (string.IsNullOrWhiteSpace(text)
            || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return false;
        }
        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 4 || segments[^2] != "issues"
            || !int.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1
            || !RepoName.IsValid($"{segments[^4]}/{segments[^3]}"))
        {
            return false;
        }
        issue = new IssueReference($"{segments[^4]}/{segments[^3]}", number);
        problem = null;
        return true;
    }
}
