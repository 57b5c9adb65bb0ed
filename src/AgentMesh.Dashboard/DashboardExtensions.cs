using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tenants;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using MudBlazor.Services;

namespace AgentMesh.Dashboard;

/// <summary>Hosts the dashboard in a node: one call to add its services, one to map it (web role only).</summary>
public static class DashboardExtensions
{
    /// <param name="builder">The node's builder.</param>
    /// <typeparam name="TActions">The node's implementation of job actions (the admin API's path).</typeparam>
    /// <typeparam name="TCreation">The node's way to start a job by hand (the webhook's path).</typeparam>
    /// <typeparam name="TTenants">The node's tenants (the tenant grains).</typeparam>
    /// <remarks>The host also registers the <see cref="IJobFeed"/> the pages listen to (the node's is over the cluster's job-change streams).</remarks>
    public static WebApplicationBuilder AddAgentMeshDashboard<TActions, TCreation, TTenants>(this WebApplicationBuilder builder)
        where TActions : class, IJobActions
        where TCreation : class, IJobCreation
        where TTenants : class, IDashboardTenants
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = builder.Configuration.GetSection(DashboardOptions.SectionName).Get<DashboardOptions>() ?? new DashboardOptions();
        if (builder.Configuration.GetSection(DashboardOptions.SectionName)[nameof(DashboardOptions.GitHubWebAddress)] is null
            && Uri.TryCreate(builder.Configuration["GitHub:GitBaseAddress"], UriKind.Absolute, out var gitBase))
        {
            options.GitHubWebAddress = gitBase;
        }
        if (builder.Configuration.GetSection(GitHubOAuthOptions.SectionName)[nameof(GitHubOAuthOptions.ApiAddress)] is null
            && Uri.TryCreate(builder.Configuration["GitHub:Rest:BaseAddress"], UriKind.Absolute, out var apiBase))
        {
            options.GitHubOAuth.ApiAddress = apiBase;
        }
        if (SecretInSettingsFile(builder.Configuration) is { } file)
        {
            throw new InvalidOperationException($"{GitHubOAuthOptions.SectionName}:{nameof(GitHubOAuthOptions.ClientSecret)} is in {file}: set it in the environment (AGENTMESH_Dashboard__GitHubOAuth__ClientSecret) only.");
        }
        if (options.Validate() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }

        var services = builder.Services;
        services.AddSingleton(options);
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddCascadingAuthenticationState();
        var authentication = services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(cookie =>
        {
            cookie.LoginPath = SignInEndpoints.SignInPath;
            cookie.AccessDeniedPath = SignInEndpoints.DeniedPath;
            cookie.Cookie.Name = "agentmesh.dashboard";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax;
            cookie.ExpireTimeSpan = options.SessionLifetime;
            cookie.SlidingExpiration = true;
        });
        if (options.GitHubOAuth.Enabled)
        {
            authentication.AddGitHubOAuth(options);
        }
        services.AddDashboardPolicies();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<SignInLinks>();
        services.AddSingleton<TActions>();
        services.AddSingleton<TCreation>();
        services.AddSingleton<IDashboardTenants, TTenants>();
        services.AddSingleton<TenantScopes>();
        // Per circuit: each action is checked against the person of that circuit.
        services.AddScoped<TenantGuard>();
        services.AddScoped<IJobActions>(sp => new TenantGuardedJobActions(sp.GetRequiredService<TActions>(), sp.GetRequiredService<TenantGuard>()));
        services.AddScoped<IJobCreation>(sp => new TenantGuardedJobCreation(sp.GetRequiredService<TCreation>(), sp.GetRequiredService<TenantGuard>()));
        // The node runs from its build output in every environment, so it reads the static web assets
        // manifest (MudBlazor's and the framework's scripts) in production too.
        builder.WebHost.UseStaticWebAssets();
        return builder;
    }

    /// <summary>The settings file that holds the OAuth client secret, if one does: a secret belongs in the environment.</summary>
    private static string? SecretInSettingsFile(IConfiguration configuration)
    {
        var key = $"{GitHubOAuthOptions.SectionName}:{nameof(GitHubOAuthOptions.ClientSecret)}";
        var holder = (configuration as IConfigurationRoot)?.Providers.OfType<FileConfigurationProvider>()
            .FirstOrDefault(p => p.TryGet(key, out var value) && !string.IsNullOrEmpty(value));
        return holder is null ? null : holder.Source.FileProvider?.GetFileInfo(holder.Source.Path ?? "").PhysicalPath ?? holder.Source.Path;
    }

    /// <summary>The role each policy asks for; the node and the component tests evaluate the same ones.</summary>
    internal static IServiceCollection AddDashboardPolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(DashboardPolicies.Read, p => p.RequireRole(DashboardRoles.Admin, DashboardRoles.Maintainer, DashboardRoles.Viewer))
            .AddPolicy(DashboardPolicies.Act, p => p.RequireRole(DashboardRoles.Admin, DashboardRoles.Maintainer))
            .AddPolicy(DashboardPolicies.Admin, p => p.RequireRole(DashboardRoles.Admin));
        return services;
    }

    public static WebApplication MapAgentMeshDashboard(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseStaticFiles();
        // A published node (deploy/) has its assets next to agentmesh.dll, while its working
        // directory, and so its content root, is the data folder: serve them from there too.
        var published = Path.Combine(AppContext.BaseDirectory, "wwwroot");
        if (Directory.Exists(published) && !string.Equals(Path.GetFullPath(published).TrimEnd('/'), Path.GetFullPath(app.Environment.WebRootPath ?? "-").TrimEnd('/'), StringComparison.Ordinal))
        {
            app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(published) });
        }
        // After the authentication and authorization the host adds first; the components' forms need it.
        app.UseAntiforgery();
        app.MapDashboardSignIn();
        app.MapRazorComponents<App>()
            .AddInteractiveServerRenderMode()
            .RequireAuthorization(DashboardPolicies.Read);
        app.Lifetime.ApplicationStarted.Register(() => PrintConsoleSignInLink(app));
        return app;
    }

    /// <summary>
    /// First run: with no other way to sign in, the node prints an admin link on its console, the
    /// way a notebook server does. Written to the console only, never through logging.
    /// </summary>
    private static void PrintConsoleSignInLink(WebApplication app)
    {
        var options = app.Services.GetRequiredService<DashboardOptions>();
        var links = app.Services.GetRequiredService<SignInLinks>();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? app.Urls.FirstOrDefault()
            ?? "http://127.0.0.1:5080";
        var token = links.Issue(DashboardRoles.Admin, "console", options.ConsoleLinkLifetime);
        var root = BrowsableAddress(address);
        Console.WriteLine($"  dashboard: {root}/");
        Console.WriteLine($"  sign in:   {root}{SignInEndpoints.LocalPath}#{token}  (one-time admin link)");
    }

    /// <summary>A wildcard bind address as a browser can open it.</summary>
    internal static string BrowsableAddress(string address)
    {
        var uri = new UriBuilder(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal));
        if (uri.Host is "0.0.0.0" or "[::]" or "::")
        {
            uri.Host = "localhost";
        }
        return uri.Uri.GetLeftPart(UriPartial.Authority);
    }
}
