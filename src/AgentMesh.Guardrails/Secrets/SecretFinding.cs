namespace AgentMesh.Guardrails.Secrets;

/// <summary>
/// A credential found in a diff. It names where and what kind, never the value: findings go to the job log and
/// an issue comment, and repeating the secret there would publish it.
/// </summary>
/// <param name="Path">The file (or, for text that is not a file, the label the caller gave, e.g. "commit message").</param>
/// <param name="Line">The 1-based line in the new file.</param>
/// <param name="RuleId">A stable id of the rule that matched, e.g. <c>github-token</c>.</param>
/// <param name="Description">What was found, e.g. "GitHub personal access token (ghp_)".</param>
public sealed record SecretFinding(string Path, int Line, string RuleId, string Description)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}:{Line}: {Description}";
}
