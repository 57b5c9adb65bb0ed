using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.ProtectedPaths;

/// <summary>
/// Recognises <c>@agentmesh approve</c> in a comment: on a line of its own (leading spaces allowed, anything may
/// follow as a reason), not inside a quote ('&gt;') or a fenced code block — quoting someone's approval, or the
/// bot's own request that shows the command, must not approve.
/// </summary>
/// <param name="mention">The mention that addresses the bot (<c>RepoConfig.TriggerMention</c>). Default: <c>@agentmesh</c>.</param>
public sealed class ApprovalCommandParser(string mention = ApprovalCommandParser.DefaultMention)
{
    /// <summary>The default mention.</summary>
    public const string DefaultMention = "@agentmesh";

    private readonly Regex _command = new(
        $@"^[ \t]{{0,3}}{Regex.Escape(mention)}[ \t]+approve\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
        TimeSpan.FromSeconds(1));

    /// <summary>True when <paramref name="commentBody"/> contains the approval command.</summary>
    public bool ContainsApproval(string? commentBody)
    {
        if (string.IsNullOrEmpty(commentBody))
        {
            return false;
        }
        var inFence = false;
        foreach (var line in commentBody.ReplaceLineEndings("\n").Split('\n'))
        {
            var trimmed = line.TrimStart();
            if (trimmed.StartsWith("```", StringComparison.Ordinal) || trimmed.StartsWith("~~~", StringComparison.Ordinal))
            {
                inFence = !inFence;
                continue;
            }
            if (!inFence && _command.IsMatch(line))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// What <paramref name="commentBody"/> by <paramref name="author"/> means for a waiting run.
    /// <paramref name="authorHasWriteAccess"/> comes from GitHub's permission API, looked up by the caller.
    /// </summary>
    public ApprovalVerdict Evaluate(string? commentBody, string author, bool authorHasWriteAccess, bool authorIsBot)
    {
        if (!ContainsApproval(commentBody))
        {
            return ApprovalVerdict.NotACommand;
        }
        // A bot includes AgentMesh itself and the agent's own account, which must never approve its own change.
        if (authorIsBot || (author ?? "").EndsWith("[bot]", StringComparison.OrdinalIgnoreCase))
        {
            return ApprovalVerdict.RefusedBot;
        }
        return authorHasWriteAccess ? ApprovalVerdict.Approved : ApprovalVerdict.RefusedNoWriteAccess;
    }
}
