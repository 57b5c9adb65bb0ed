using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Hosting;

/// <summary>Fails the node at start with a message naming the bad key.</summary>
public sealed class NodeOptionsValidator : IValidateOptions<NodeOptions>
{
    private static readonly string[] KnownRoles = ["web", "worker"];

    public ValidateOptionsResult Validate(string? name, NodeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var prefix = NodeOptions.SectionName;
        if (string.IsNullOrWhiteSpace(options.NodeId))
        {
            problems.Add($"{prefix}:NodeId must not be empty.");
        }
        if (options.RoleList.Count == 0)
        {
            problems.Add($"{prefix}:Roles must name at least one of: web, worker.");
        }
        foreach (var role in options.RoleList.Where(r => !KnownRoles.Contains(r, StringComparer.Ordinal)))
        {
            problems.Add($"{prefix}:Roles has '{role}'; known roles are: web, worker.");
        }
        if (options.WorkerSlots is < 1 or > 1000)
        {
            problems.Add($"{prefix}:WorkerSlots must be between 1 and 1000, not {options.WorkerSlots}.");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }

    private static void RequirePositive(List<string> problems, string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            problems.Add($"{key} must be positive, not {value}.");
        }
    }
}
