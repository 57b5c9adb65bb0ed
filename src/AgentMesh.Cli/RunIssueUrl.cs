using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace AgentMesh.Cli;

/// <summary>
/// The issue <c>agentmesh run</c> works on, read from its web address. The address's host is not
/// checked: GitHub Enterprise (and the tests' fake GitHub) serve issues at
/// <c>&lt;GitHub:GitBaseAddress&gt;OWNER/REPO/issues/N</c>, possibly below a path prefix, so only the
/// last four path segments count. The node's configured REST address is what gets asked.
/// </summary>
/// <param name="Owner">The repository's owner (user or organisation).</param>
/// <param name="Name">The repository's name.</param>
/// <param name="Number">The issue number, 1 or more.</param>
public sealed record RunIssueUrl(string Owner, string Name, int Number)
{
    /// <summary>What a valid address looks like, for error messages.</summary>
    public const string ExpectedForm = "https://github.com/OWNER/REPO/issues/N (or the same path on a GitHub Enterprise host)";

    /// <summary>The repository as the store and GitHub's API name it: <c>owner/name</c>.</summary>
    public string Repo => $"{Owner}/{Name}";

    /// <summary>GitHub's short form, <c>owner/name#N</c>.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Repo}#{Number}");

    /// <summary>
    /// Reads <paramref name="text"/>; on failure <paramref name="problem"/> says what is wrong and what
    /// was expected. A query string or fragment (e.g. <c>#issuecomment-1</c>) and a trailing slash are ignored.
    /// </summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out RunIssueUrl? issue, [NotNullWhen(false)] out string? problem)
    {
        issue = null;
        var why = Check(text, out var parsed);
        if (why is not null)
        {
            problem = $"'{text}' is not an issue URL: {why}; expected {ExpectedForm}.";
            return false;
        }
        issue = parsed!;
        problem = null;
        return true;
    }

    private static string? Check(string? text, out RunIssueUrl? issue)
    {
        issue = null;
        if (string.IsNullOrWhiteSpace(text)
            || !Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            return "it is not an absolute http(s) address";
        }

        var segments = uri.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (segments.Length < 4 || segments[^2] != "issues")
        {
            return "its path does not end in OWNER/REPO/issues/N";
        }
        if (!int.TryParse(segments[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < 1)
        {
            return $"'{segments[^1]}' is not an issue number";
        }

        var (owner, name) = (segments[^4], segments[^3]);
        if (!IsName(owner, allowDot: false) || !IsName(name, allowDot: true) || name is "." or "..")
        {
            return $"'{owner}/{name}' is not a repository name";
        }
        issue = new RunIssueUrl(owner, name, number);
        return null;
    }

    // GitHub's own rules: owners are letters, digits and hyphens; repository names may also hold '.' and '_'.
    private static bool IsName(string value, bool allowDot) =>
        value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || c == '-' || (allowDot && c is '.' or '_'));
}
