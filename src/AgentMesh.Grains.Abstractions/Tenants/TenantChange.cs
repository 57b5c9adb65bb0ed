using AgentMesh.Core.Tenants;

namespace AgentMesh.Grains.Abstractions.Tenants;

/// <summary>
/// What a change to a tenant came to: its state after, or the rule's reason for refusing it (the state then is
/// unchanged). A refusal is an answer, not an exception, so its sentence crosses the grain call as it is.
/// </summary>
[GenerateSerializer]
[Alias("AgentMesh.TenantChange")]
public sealed record TenantChange([property: Id(0)] TenantState? State, [property: Id(1)] string? Error)
{
    public bool Done => Error is null;

    public static TenantChange Refused(string error) => new(null, error);
}
