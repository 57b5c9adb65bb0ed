using Microsoft.Extensions.Options;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>Fails start-up with an exact message when the webhook options cannot work.</summary>
public sealed class GitHubWebhookOptionsValidator : IValidateOptions<GitHubWebhookOptions>
{
    public ValidateOptionsResult Validate(string? name, GitHubWebhookOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MaxBodyBytes <= 0)
        {
            return ValidateOptionsResult.Fail($"GitHub:Webhooks:MaxBodyBytes must be positive, but is {options.MaxBodyBytes}.");
        }
        if (options.MaxBodyBytes > int.MaxValue)
        {
            return ValidateOptionsResult.Fail($"GitHub:Webhooks:MaxBodyBytes must be at most {int.MaxValue} (one buffer), but is {options.MaxBodyBytes}.");
        }
        if (options.GlobalSecret is { Length: 0 })
        {
            return ValidateOptionsResult.Fail("GitHub:Webhooks:GlobalSecret must not be empty; leave it unset to have no global secret.");
        }
        foreach (var (repo, secret) in options.RepositorySecrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                return ValidateOptionsResult.Fail($"GitHub:Webhooks:RepositorySecrets:{repo} must not be empty.");
            }
        }
        foreach (var (installation, secret) in options.InstallationSecrets)
        {
            if (string.IsNullOrEmpty(secret))
            {
                return ValidateOptionsResult.Fail($"GitHub:Webhooks:InstallationSecrets:{installation} must not be empty.");
            }
        }
        return ValidateOptionsResult.Success;
    }
}
