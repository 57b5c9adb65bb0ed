namespace AgentMesh.Server.Pipeline;

/// <summary>How the node turns webhooks into jobs. Bound from the <c>Pipeline</c> section.</summary>
public sealed class PipelineOptions
{
    public const string SectionName = "Pipeline";

    /// <summary>The login AgentMesh acts as on GitHub; its own comments never trigger work. Default <c>agentmesh[bot]</c>.</summary>
    public string BotLogin { get; set; } = "agentmesh[bot]";

    /// <summary>
    /// Branches AgentMesh pushes are this prefix plus the issue number. Not a setting of its own: the
    /// node sets it from <c>Workspaces:BranchPrefix</c>, where branches are made, so the two never differ.
    /// </summary>
    public string BranchPrefix { get; set; } = "agentmesh/issue-";

    /// <summary>The issue number a branch AgentMesh pushed belongs to, or null for anyone else's branch.</summary>
    public int? IssueNumberOf(string branch) =>
        branch.StartsWith(BranchPrefix, StringComparison.Ordinal)
        && int.TryParse(branch.AsSpan(BranchPrefix.Length), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(BotLogin))
        {
            problems.Add($"{SectionName}:BotLogin must not be empty.");
        }
        if (string.IsNullOrWhiteSpace(BranchPrefix) || BranchPrefix.Contains(' ', StringComparison.Ordinal))
        {
            problems.Add($"{SectionName}:BranchPrefix must be a branch name prefix without spaces, not '{BranchPrefix}'.");
        }
        return problems;
    }
}
