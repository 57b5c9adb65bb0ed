using System.Globalization;
using System.Text;

namespace AgentMesh.Guardrails.ProtectedPaths;

/// <summary>
/// Finds the changed paths of a run that match a repository's protected patterns. A run that touches one is not
/// pushed until a maintainer approves (<see cref="ApprovalCommandParser"/>): a workflow file runs with the
/// repository's secrets on the next push, so an agent changing one is a way out of every other guardrail.
/// </summary>
public sealed class ProtectedPathMatcher
{
    /// <summary>The patterns used when a repository sets none: GitHub Actions workflows.</summary>
    public static readonly IReadOnlyList<string> DefaultPatterns = [".github/workflows/**"];

    private readonly PathGlob[] _globs;

    /// <summary>Compiles <paramref name="patterns"/> (null: <see cref="DefaultPatterns"/>; empty: nothing is protected).</summary>
    public ProtectedPathMatcher(IEnumerable<string>? patterns = null)
    {
        _globs = [.. (patterns ?? DefaultPatterns).Select(p => new PathGlob(p))];
    }

    /// <summary>
    /// Every changed path that matches a pattern, in the order given. Pass both sides of a rename and deleted
    /// paths too (<c>FileChange.Paths</c> from the audit's numstat reader does): deleting a workflow is a change.
    /// </summary>
    public IReadOnlyList<ProtectedPathHit> Match(IEnumerable<string> changedPaths)
    {
        ArgumentNullException.ThrowIfNull(changedPaths);
        var hits = new List<ProtectedPathHit>();
        foreach (var path in changedPaths.Distinct(StringComparer.Ordinal))
        {
            if (_globs.FirstOrDefault(g => g.IsMatch(path)) is { } glob)
            {
                hits.Add(new ProtectedPathHit(path, glob.Pattern));
            }
        }
        return hits;
    }

    /// <summary>The issue comment asking a maintainer to approve a run that touched <paramref name="hits"/>.</summary>
    public static string ApprovalRequestComment(IReadOnlyList<ProtectedPathHit> hits, string mention = ApprovalCommandParser.DefaultMention)
    {
        ArgumentNullException.ThrowIfNull(hits);
        var text = new StringBuilder("This run changed protected paths, so AgentMesh has not pushed it:\n\n");
        foreach (var hit in hits)
        {
            text.Append(CultureInfo.InvariantCulture, $"- `{hit.Path}` (protected by `{hit.Pattern}`)\n");
        }
        text.Append(CultureInfo.InvariantCulture,
            $"\nSomeone with write access can comment `{mention} approve` to push it and open the pull request, or stop the job.");
        return text.ToString();
    }
}
