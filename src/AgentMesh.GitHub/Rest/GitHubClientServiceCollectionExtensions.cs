using AgentMesh.GitHub.Rest;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the GitHub REST client factory.</summary>
public static class GitHubClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds one <see cref="GitHubClientFactory"/> for the process, so every client of one identity shares its
    /// Octokit client, concurrency cap, rate-limit state and ETag cache. Options are validated when the factory is built.
    /// </summary>
    public static IServiceCollection AddGitHubClient(this IServiceCollection services, Action<GitHubClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ =>
        {
            var options = new GitHubClientOptions();
            configure?.Invoke(options);
            options.Validate();
            return options;
        });
        services.TryAddSingleton<GitHubInstallationDirectory>();
        services.TryAddSingleton(provider => new GitHubClientFactory(
            provider.GetRequiredService<GitHubClientOptions>(),
            provider.GetRequiredService<TimeProvider>(),
            provider.GetService<ILoggerFactory>(),
            installations: provider.GetRequiredService<GitHubInstallationDirectory>()));
        return services;
    }
}
