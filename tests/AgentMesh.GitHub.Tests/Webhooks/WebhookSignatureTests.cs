using System.Net;
using System.Text;
using AgentMesh.GitHub.Webhooks;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>
/// Signing (ours, for senders) and verifying (Octokit.Webhooks' validator, as the endpoint uses it): GitHub's
/// published vector, malformed headers, and the cases where the validator alone would let an unsigned
/// delivery through.
/// </summary>
public sealed class WebhookSignatureTests
{
    // GitHub's published test vector: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
    private const string Secret = "It's a Secret to Everybody";
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"action":"opened","repository":{"full_name":"octo/widgets"}}""");

    [Fact]
    public void Compute_matches_GitHubs_published_vector() =>
        WebhookSignature.Compute(Encoding.UTF8.GetBytes(Secret), Payload).ShouldBe(Expected);

    [Theory]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public async Task The_endpoint_answers_401_to_a_malformed_signature_header(string header)
    {
        await using var host = await WebhookTestHost.StartAsync(new InMemoryWebhookInbox(), o => o.GlobalSecret = Secret);

        using var response = await host.PostAsync(Body, "issues", "d-malformed", header);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task The_endpoint_accepts_an_upper_case_hex_digest()
    {
        await using var host = await WebhookTestHost.StartAsync(new InMemoryWebhookInbox(), o => o.GlobalSecret = Secret);
        var signature = "sha256=" + WebhookSignature.Compute(Encoding.UTF8.GetBytes(Secret), Body)["sha256=".Length..].ToUpperInvariant();

        using var response = await host.PostAsync(Body, "issues", "d-upper", signature);

        response.StatusCode.ShouldBe(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task With_no_secret_configured_an_unsigned_delivery_is_401_although_Octokits_validator_calls_it_valid()
    {
        Octokit.Webhooks.WebhookSignatureValidator.Verify(null, null, Body).ShouldBe(Octokit.Webhooks.WebhookSignatureValidationResult.Valid);
        var inbox = new InMemoryWebhookInbox();
        await using var host = await WebhookTestHost.StartAsync(inbox, _ => { });

        using var unsigned = await host.PostAsync(Body, "issues", "d-unsigned", signature: null);
        using var emptySignature = await host.PostAsync(Body, "issues", "d-empty", signature: "");

        unsigned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        emptySignature.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        inbox.All.ShouldBeEmpty();
    }

    [Fact]
    public async Task An_empty_secret_from_a_secret_provider_vouches_for_nothing()
    {
        var inbox = new InMemoryWebhookInbox();
        await using var host = await WebhookTestHost.StartAsync(inbox, _ => { }, secrets: new FixedSecrets(""));

        using var unsigned = await host.PostAsync(Body, "issues", "d-1", signature: null);
        using var signedWithEmpty = await host.PostAsync(Body, "issues", "d-2", WebhookSignature.Compute([], Body));

        unsigned.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        signedWithEmpty.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        inbox.All.ShouldBeEmpty();
    }

    private sealed class FixedSecrets(params string[] secrets) : IWebhookSecretProvider
    {
        public IAsyncEnumerable<string> GetCandidateSecretsAsync(string? repositoryFullName, long? installationId, CancellationToken cancellationToken) =>
            secrets.ToAsyncEnumerable();
    }
}
