using System.Text;
using AgentMesh.GitHub.Webhooks;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Webhooks;

public class WebhookSignatureTests
{
    // GitHub's published test vector: https://docs.github.com/webhooks/using-webhooks/validating-webhook-deliveries
    private static readonly byte[] Secret = Encoding.UTF8.GetBytes("It's a Secret to Everybody");
    private static readonly byte[] Payload = Encoding.UTF8.GetBytes("Hello, World!");
    private const string Expected = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

    [Fact]
    public void Compute_matches_GitHubs_published_vector() =>
        WebhookSignature.Compute(Secret, Payload).ShouldBe(Expected);

    [Fact]
    public void Verify_accepts_GitHubs_published_vector() =>
        WebhookSignature.Verify(Expected, Secret, Payload).ShouldBeTrue();

    [Fact]
    public void Verify_accepts_an_upper_case_hex_digest() =>
        WebhookSignature.Verify(Expected.ToUpperInvariant().Replace("SHA256=", "sha256=", StringComparison.Ordinal), Secret, Payload).ShouldBeTrue();

    [Fact]
    public void Verify_rejects_another_secret() =>
        WebhookSignature.Verify(Expected, Encoding.UTF8.GetBytes("It's a Secret to Everybody!"), Payload).ShouldBeFalse();

    [Fact]
    public void Verify_rejects_a_payload_changed_by_one_byte() =>
        WebhookSignature.Verify(Expected, Secret, Encoding.UTF8.GetBytes("Hello, World?")).ShouldBeFalse();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha1=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    [InlineData("sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e1")]
    [InlineData("sha256=zz7107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17")]
    public void ParseHeader_rejects_malformed_headers(string? header) =>
        WebhookSignature.ParseHeader(header).ShouldBeNull();
}
