using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace AgentMesh.Server.Api;

/// <summary>Declares the admin token in the OpenAPI document: an HTTP bearer scheme required by every <c>/api</c> operation.</summary>
public sealed class BearerSecurityDocumentTransformer : IOpenApiDocumentTransformer
{
    public const string SchemeName = "adminToken";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        document.AddComponent<IOpenApiSecurityScheme>(SchemeName, new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The node's Admin:Token (set with AGENTMESH_Admin__Token).",
        });
        foreach (var (path, item) in document.Paths)
        {
            if (!path.StartsWith(AdminApiExtensions.Prefix + "/", StringComparison.Ordinal) || item.Operations is null)
            {
                continue;
            }
            foreach (var operation in item.Operations.Values)
            {
                operation.Security ??= [];
                operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
            }
        }
        return Task.CompletedTask;
    }
}
