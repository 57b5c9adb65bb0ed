using AgentMesh.Storage;
using Microsoft.Extensions.Options;

namespace AgentMesh.Server.Hosting;

/// <summary>Fails the node at start with a message naming the bad store key.</summary>
public sealed class StoreOptionsValidator : IValidateOptions<StoreOptions>
{
    public ValidateOptionsResult Validate(string? name, StoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
