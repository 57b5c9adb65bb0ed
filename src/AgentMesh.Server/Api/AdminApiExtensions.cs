using System.Text.Json;
using System.Text.Json.Serialization;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Server.Api.Nodes;
using AgentMesh.Server.Api.Repos;
using AgentMesh.Server.Api.Stats;
using AgentMesh.Server.Api.Tenants;
using AgentMesh.Server.Tenants;
using AgentMesh.Server.LiveLogs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Orleans.Dashboard;

namespace AgentMesh.Server.Api;

/// <summary>Wires the admin REST API (<c>/api</c>) and its OpenAPI document (<c>/openapi/v1.json</c>).</summary>
public static class AdminApiExtensions
{
    /// <summary>The prefix every admin endpoint lives under; the token guard covers all of it.</summary>
    public const string Prefix = "/api";

    /// <summary>
    /// Where the Orleans dashboard is served; it has no authentication of its own, so
    /// <see cref="OrleansDashboardGuard"/> lets in the admin token and dashboard admins only.
    /// </summary>
    public const string OrleansDashboardPrefix = "/orleans";

    public static WebApplicationBuilder AddAdminApi(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        services.AddOptions<AdminOptions>().Bind(builder.Configuration.GetSection(AdminOptions.SectionName)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AdminOptions>, AdminOptionsValidator>());
        services.TryAddSingleton<AdminTokenVerifier>();
        services.TryAddSingleton<JobAdminService>();
        services.TryAddSingleton<TenantService>();

        // The same wire form the store persists (CoreJson): camelCase properties, snake_case enum names.
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false)));
        services.AddOpenApi(options => options.AddDocumentTransformer<BearerSecurityDocumentTransformer>());
        return builder;
    }

    public static WebApplication MapAdminApi(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);

        // Guarded by path as well as by endpoint metadata, so an /api request is refused even if it
        // matches no endpoint, and an endpoint added to the group is guarded wherever it is mapped.
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(Prefix, StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint()?.Metadata.GetMetadata<AdminApiEndpoint>() is not null,
            branch => branch.UseMiddleware<AdminTokenMiddleware>());
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(OrleansDashboardPrefix, StringComparison.OrdinalIgnoreCase)
                || context.GetEndpoint()?.Metadata.GetMetadata<OrleansDashboardEndpoint>() is not null,
            branch => branch.UseMiddleware<OrleansDashboardGuard>());

        // The document describes the API and holds no data, so it is readable without the token.
        app.MapOpenApi();

        var api = app.MapGroup(Prefix)
            .WithMetadata(AdminApiEndpoint.Instance)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapJobs();
        api.MapJobHistory();
        api.MapRepos();
        api.MapStats();
        api.MapNodes();
        api.MapTenants();
        api.MapLiveLogs();
        app.MapOrleansDashboard(OrleansDashboardPrefix).WithMetadata(OrleansDashboardEndpoint.Instance);
        return app;
    }
}
