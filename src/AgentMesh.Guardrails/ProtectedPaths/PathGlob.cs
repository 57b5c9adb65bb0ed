using System.Text;
using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.ProtectedPaths;

/// <summary>
/// A path pattern as in .gitignore, reduced to what protected paths need: <c>*</c> (within one path segment),
/// <c>**</c> (any number of segments), <c>?</c> (one character but '/'); a pattern without '/' matches a file name
/// at any depth (<c>*.pem</c>); a leading '/' anchors at the repository root, which is where every other pattern
/// is anchored too. Matching ignores case: a case-insensitive checkout (macOS, Windows) would make
/// <c>.GitHub/Workflows/x.yml</c> the same file, and guarding too much costs one approval.
/// </summary>
public sealed class PathGlob
{
    private readonly Regex _regex;

    /// <summary>Compiles <paramref name="pattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is blank.</exception>
    public PathGlob(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        Pattern = pattern;
        _regex = new Regex(ToRegex(pattern.Trim()), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>The pattern as written.</summary>
    public string Pattern { get; }

    /// <summary>True when <paramref name="path"/> (repository-relative, '/'-separated, as git prints it) matches.</summary>
    public bool IsMatch(string path) => _regex.IsMatch(Normalize(path));

    /// <summary>Git prints paths relative to the root without "./"; callers that add one (or a leading '/') still match.</summary>
    internal static string Normalize(string path)
    {
        var normalized = path.Replace('\\', '/');
        while (normalized.StartsWith("./", StringComparison.Ordinal))
        {
            normalized = normalized[2..];
        }
        return normalized.TrimStart('/');
    }

    private static string ToRegex(string pattern)
    {
        var anchored = pattern.TrimStart('/');
        var body = new StringBuilder();
        // No '/' in the pattern (other than a trailing one): a name that may sit in any folder, as in .gitignore.
        if (!pattern.TrimEnd('/').Contains('/', StringComparison.Ordinal))
        {
            body.Append("(?:.*/)?");
        }
        var trimmed = anchored.TrimEnd('/');
        var directoryOnly = trimmed.Length != anchored.Length;
        for (var i = 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (c == '*' && i + 1 < trimmed.Length && trimmed[i + 1] == '*')
            {
                var atStart = i == 0 || trimmed[i - 1] == '/';
                var followedBySlash = i + 2 < trimmed.Length && trimmed[i + 2] == '/';
                if (atStart && followedBySlash)
                {
                    body.Append("(?:.*/)?");   // "**/" : zero or more whole folders
                    i += 2;
                }
                else
                {
                    body.Append(".*");
                    i += 1;
                }
            }
            else if (c == '*')
            {
                body.Append("[^/]*");
            }
            else if (c == '?')
            {
                body.Append("[^/]");
            }
            else
            {
                body.Append(Regex.Escape(c.ToString()));
            }
        }
        // "dir/" or "dir/**" guards everything under the folder; a plain pattern may also name a folder.
        body.Append(directoryOnly ? "/.*" : "(?:/.*)?");
        return "^" + body + "$";
    }
}
