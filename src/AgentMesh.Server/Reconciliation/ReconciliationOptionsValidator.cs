using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Reconciliation;

/// <summary>Fails the node at start with a message naming the bad <c>Reconciliation</c> key.</summary>
public sealed class ReconciliationOptionsValidator : IValidateOptions<ReconciliationOptions>
{
    /// <summary>The largest page the store is asked for; the admin API caps listings at the same size.</summary>
    public const int MaxPageSize = 500;

    public ValidateOptionsResult Validate(string? name, ReconciliationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = new List<string>();
        var prefix = ReconciliationOptions.SectionName;
        RequirePositive(problems, $"{prefix}:Interval", options.Interval);
        RequirePositive(problems, $"{prefix}:InvitationInterval", options.InvitationInterval);
        if (options.PageSize is < 1 or > MaxPageSize)
        {
            problems.Add($"{prefix}:PageSize must be between 1 and {MaxPageSize}, not {options.PageSize}.");
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
