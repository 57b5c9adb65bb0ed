using Microsoft.Extensions.Options;

namespace AgentMesh.Agents.Workspaces;

/// <summary>Fails the node's start with an exact message when the workspace configuration cannot work.</summary>
public sealed class WorkspaceOptionsValidator : IValidateOptions<WorkspaceOptions>
{
    public ValidateOptionsResult Validate(string? name, WorkspaceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = WorkspaceOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.Root))
        {
            failures.Add($"{Section}:Root is required (a folder for mirrors and worktrees).");
        }
        if (string.IsNullOrWhiteSpace(options.BranchPrefix) || options.BranchPrefix.Contains(' ', StringComparison.Ordinal) || options.BranchPrefix.Contains("..", StringComparison.Ordinal))
        {
            failures.Add($"{Section}:BranchPrefix '{options.BranchPrefix}' is not usable in a git branch name.");
        }
        if (string.IsNullOrWhiteSpace(options.CommitAuthorName) || string.IsNullOrWhiteSpace(options.CommitAuthorEmail))
        {
            failures.Add($"{Section}:CommitAuthorName and CommitAuthorEmail are required.");
        }
        if (options.MinimumFreeDiskBytes < 0)
        {
            failures.Add($"{Section}:MinimumFreeDiskBytes must not be negative (was {options.MinimumFreeDiskBytes}).");
        }
        if (options.SpareWorktrees < 0)
        {
            failures.Add($"{Section}:SpareWorktrees must not be negative (was {options.SpareWorktrees}); 0 turns spare worktrees off.");
        }
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
