namespace AgentMesh.Core.Tenants;

/// <summary>A change the tenant refuses (e.g. removing its last admin). The state is left unchanged.</summary>
public sealed class TenantRuleException : Exception
{
    public TenantRuleException()
    {
    }

    public TenantRuleException(string message)
        : base(message)
    {
    }

    public TenantRuleException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
