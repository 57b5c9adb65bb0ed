using AgentMesh.Core.Tenants;

namespace AgentMesh.Server.Api.Tenants;

/// <summary>The body of <c>POST /api/tenants</c>.</summary>
/// <param name="Account">The GitHub account or organisation login the tenant is for.</param>
public sealed record NewTenantRequest(string Account);

/// <summary>The body of <c>PUT /api/tenants/{account}/members/{login}</c>.</summary>
public sealed record TenantMemberRequest(TenantRole Role);
