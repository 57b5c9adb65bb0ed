using AgentMesh.Guardrails.Audit;
using AgentMesh.Guardrails.ProtectedPaths;
using AgentMesh.Guardrails.Secrets;

namespace AgentMesh.Guardrails;

/// <summary>
/// The one call a job makes between "the agent finished" and "push": scans the run's diff and commit messages
/// for credentials, and its changed paths for protected ones. A credential blocks the push outright (an
/// approval cannot make a leaked key safe to publish); a protected path waits for a maintainer's approval.
/// Pure: the caller runs git and passes its output in.
/// </summary>
/// <param name="protectedPaths">The repository's protected patterns.</param>
/// <param name="secrets">The scanner, holding the node's own secrets.</param>
/// <param name="mention">The bot's mention, for the approval request. Default: <c>@agentmesh</c>.</param>
public sealed class PrePushCheck(ProtectedPathMatcher protectedPaths, SecretScanner secrets, string mention = ApprovalCommandParser.DefaultMention)
{
    /// <summary>Decides for one run.</summary>
    /// <param name="unifiedDiff"><c>git diff base..HEAD</c> of the run.</param>
    /// <param name="changes">The run's <c>git diff --numstat base..HEAD</c>, parsed (<see cref="NumstatParser"/>).</param>
    /// <param name="commitMessages">The messages of the run's commits (<c>git log --format=%B base..HEAD</c>), pushed with it.</param>
    /// <param name="approved">True when a maintainer approved this run's protected-path changes.</param>
    /// <exception cref="System.Text.RegularExpressions.RegexMatchTimeoutException">
    /// The secret scan's backstop fired on input no rule was written for: do not push (fail closed).
    /// </exception>
    public PrePushDecision Check(string unifiedDiff, IReadOnlyList<FileChange> changes, IEnumerable<string> commitMessages, bool approved)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(commitMessages);
        var scan = secrets.ScanDiff(unifiedDiff);
        var findings = scan.Findings.Concat(commitMessages.SelectMany(m => secrets.ScanText("commit message", m))).ToList();
        var hits = protectedPaths.Match(changes.SelectMany(c => c.Paths));
        if (findings.Count > 0)
        {
            var blocked = new SecretScanResult(findings, scan.UnscannedBinaryFiles);
            return new PrePushDecision(PrePushVerdict.Blocked, findings, hits, scan.UnscannedBinaryFiles, blocked.BlockedPushComment());
        }
        if (hits.Count > 0 && !approved)
        {
            return new PrePushDecision(PrePushVerdict.NeedsApproval, findings, hits, scan.UnscannedBinaryFiles,
                ProtectedPathMatcher.ApprovalRequestComment(hits, mention));
        }
        return new PrePushDecision(PrePushVerdict.Push, findings, hits, scan.UnscannedBinaryFiles, null);
    }
}
