namespace AgentMesh.Core.Tenants;

/// <summary>A person in a tenant, by GitHub login (compared case-insensitively).</summary>
public sealed record TenantMember(string Login, TenantRole Role);
