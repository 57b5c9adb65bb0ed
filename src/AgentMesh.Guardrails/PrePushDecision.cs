using AgentMesh.Guardrails.ProtectedPaths;
using AgentMesh.Guardrails.Secrets;

namespace AgentMesh.Guardrails;

/// <summary>The pre-push decision for one run, with what it rests on and the comment to post.</summary>
/// <param name="Verdict">Push, wait for approval, or block.</param>
/// <param name="Secrets">Credentials found (file, line, kind).</param>
/// <param name="ProtectedPaths">Protected paths the run changed.</param>
/// <param name="UnscannedBinaryFiles">Binary files the secret scan could not read (for the job log).</param>
/// <param name="Comment">The issue comment for <see cref="PrePushVerdict.NeedsApproval"/> and <see cref="PrePushVerdict.Blocked"/>; null for a push.</param>
public sealed record PrePushDecision(
    PrePushVerdict Verdict,
    IReadOnlyList<SecretFinding> Secrets,
    IReadOnlyList<ProtectedPathHit> ProtectedPaths,
    IReadOnlyList<string> UnscannedBinaryFiles,
    string? Comment);
