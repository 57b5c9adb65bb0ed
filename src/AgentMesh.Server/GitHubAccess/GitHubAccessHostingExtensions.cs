using Microsoft.Extensions.DependencyInjection.Extensions;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Pipeline;

namespace AgentMesh.Server.GitHubAccess;

/// <summary>Wires the node's GitHub REST client and credentials from the <c>GitHub</c> section.</summary>
public static class GitHubAccessHostingExtensions
{
    public static WebApplicationBuilder AddAgentMeshGitHub(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var access = builder.Configuration.GetSection(GitHubAccessOptions.SectionName).Get<GitHubAccessOptions>() ?? new GitHubAccessOptions();
        var problems = access.Validate();
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, problems));
        }
        var rest = builder.Configuration.GetSection("GitHub:Rest").Get<GitHubClientOptions>() ?? new GitHubClientOptions();
        try
        {
            rest.Validate();
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException(ex.Message, ex);
        }

        var services = builder.Services;
        services.AddSingleton(access);
        services.AddSingleton(rest);
        // One factory for the node's lifetime: one Octokit client per credential over one connection pool.
        // The webhook endpoint teaches this directory which installation serves which repository.
        services.TryAddSingleton<GitHubInstallationDirectory>();
        services.AddSingleton(sp => new GitHubClientFactory(
            rest,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILoggerFactory>(),
            installations: sp.GetRequiredService<GitHubInstallationDirectory>()));
        services.AddSingleton<GitHubClientProvider>();
        services.AddSingleton<IAuthorPermissions, GitHubAuthorPermissions>();
        return builder;
    }
}
