using AgentMesh.GitHub.Webhooks;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Server.Tests.Reconciliation;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.GitHubAccess;

/// <summary>The secrets of hooks the dashboard's "connect" created, and the order deliveries are verified in (the configured ones need no read).</summary>
public sealed class RepoWebhookSecretsTests
{
    [Fact]
    public void A_new_secret_is_32_random_bytes_as_hex()
    {
        var first = RepoWebhookSecrets.NewSecret();

        first.ShouldMatch("^[0-9a-f]{64}$");
        RepoWebhookSecrets.NewSecret().ShouldNotBe(first);
    }

    [Fact]
    public async Task A_delivery_is_verified_with_the_configured_secrets_first_then_each_hooks_own()
    {
        await using var world = await ReconciliationWorld.StartAsync();
        var secrets = new RepoWebhookSecrets(world.Store);
        var options = new GitHubWebhookOptions { GlobalSecret = "global" };
        options.RepositorySecrets["acme/widgets"] = "configured";
        var provider = new StoredWebhookSecretProvider(secrets, new FixedOptions(options));

        (await provider.GetCandidateSecretsAsync("acme/widgets", null, default).ToListAsync()).ShouldBe(["configured", "global"]);

        await secrets.AddAsync("acme/widgets", 11, "first-hook");
        await secrets.AddAsync("Acme/Widgets", 12, "second-hook");

        // Connecting again adds a hook: the first keeps working. Names compare as GitHub's do.
        (await provider.GetCandidateSecretsAsync("acme/widgets", null, default).ToListAsync()).ShouldBe(["configured", "global", "second-hook", "first-hook"]);
        (await provider.GetCandidateSecretsAsync("acme/gadgets", null, default).ToListAsync()).ShouldBe(["global"]);
        (await provider.GetCandidateSecretsAsync(null, null, default).ToListAsync()).ShouldBe(["global"]);

        // The history names the hooks, never their secrets.
        var events = await world.Store.Actors.ReadEventsAsync(RepoWebhookSecrets.ActorType, "acme/widgets", 0, 10);
        events.Select(e => e.Type).ShouldBe(["webhook_created", "webhook_created"]);
        string.Concat(events.Select(e => e.DataJson)).ShouldNotContain("-hook");
    }

    private sealed class FixedOptions(GitHubWebhookOptions value) : IOptionsMonitor<GitHubWebhookOptions>
    {
        public GitHubWebhookOptions CurrentValue => value;

        public GitHubWebhookOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<GitHubWebhookOptions, string?> listener) => null;
    }
}
