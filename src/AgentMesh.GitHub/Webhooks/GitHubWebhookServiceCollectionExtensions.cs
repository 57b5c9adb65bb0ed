using AgentMesh.GitHub.Webhooks;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

#pragma warning disable IDE0130
namespace Microsoft.Extensions.DependencyInjection;
#pragma warning restore IDE0130

/// <summary>Registers the webhook endpoint's services.</summary>
public static class GitHubWebhookServiceCollectionExtensions
{
    /// <summary>
    /// Adds the webhook handler, its options (validated at start) and, unless one is already registered,
    /// the options-backed <see cref="IWebhookSecretProvider"/>.
    /// </summary>
    public static OptionsBuilder<GitHubWebhookOptions> AddGitHubWebhooks(this IServiceCollection services, Action<GitHubWebhookOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IWebhookSecretProvider, OptionsWebhookSecretProvider>();
        services.TryAddSingleton<AgentMesh.GitHub.Rest.GitHubInstallationDirectory>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GitHubWebhookOptions>, GitHubWebhookOptionsValidator>());
        services.TryAddScoped<GitHubWebhookHandler>();
        var builder = services.AddOptions<GitHubWebhookOptions>().ValidateOnStart();
        if (configure is not null)
        {
            builder.Configure(configure);
        }
        return builder;
    }
}
