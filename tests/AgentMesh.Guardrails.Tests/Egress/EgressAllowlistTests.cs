using AgentMesh.Guardrails.Egress;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Egress;

public sealed class EgressAllowlistTests
{
    [Theory]
    [InlineData("api.anthropic.com", "api.anthropic.com", 443, true)]
    [InlineData("api.anthropic.com", "API.Anthropic.com.", 443, true)]
    [InlineData("api.anthropic.com", "api.anthropic.com", 80, false)]
    [InlineData("api.anthropic.com", "evil-api.anthropic.com", 443, false)]
    [InlineData("api.anthropic.com", "api.anthropic.com.evil.example", 443, false)]
    [InlineData("*.githubusercontent.com", "raw.githubusercontent.com", 443, true)]
    [InlineData("*.githubusercontent.com", "a.b.githubusercontent.com", 443, true)]
    [InlineData("*.githubusercontent.com", "githubusercontent.com", 443, false)]
    [InlineData("*.githubusercontent.com", "evilgithubusercontent.com", 443, false)]
    [InlineData("localhost:8080", "localhost", 8080, true)]
    [InlineData("localhost:8080", "localhost", 8081, false)]
    [InlineData("127.0.0.1:5000", "127.0.0.1", 5000, true)]
    [InlineData("[::1]:5000", "::1", 5000, true)]
    [InlineData("[::1]:5000", "[::1]", 5000, true)]
    public void Entries_match_exact_hosts_subdomains_of_wildcards_and_their_port(string entry, string host, int port, bool allowed)
    {
        new EgressAllowlist([entry]).IsAllowed(host, port).ShouldBe(allowed);
    }

    [Theory]
    [InlineData("", "Egress allowlist entry \"\" is invalid: expected host, host:port or *.suffix:port.")]
    [InlineData("api.example.com:0", "Egress allowlist entry \"api.example.com:0\" is invalid: '0' is not a port (1-65535).")]
    [InlineData("api.example.com:https", "Egress allowlist entry \"api.example.com:https\" is invalid: 'https' is not a port (1-65535).")]
    [InlineData("*", "Egress allowlist entry \"*\" is invalid: expected host, host:port or *.suffix:port.")]
    [InlineData("api.*.com", "Egress allowlist entry \"api.*.com\" is invalid: expected host, host:port or *.suffix:port.")]
    [InlineData("https://api.example.com", "Egress allowlist entry \"https://api.example.com\" is invalid: write the host without a scheme, e.g. api.example.com:443.")]
    [InlineData("::1", "Egress allowlist entry \"::1\" is invalid: write an IPv6 address in brackets, e.g. [::1]:8080.")]
    [InlineData("*.10.0.0.1", "Egress allowlist entry \"*.10.0.0.1\" is invalid: a wildcard needs a domain name, not an address.")]
    public void Invalid_entries_are_refused_with_a_message_naming_them(string entry, string message)
    {
        Should.Throw<FormatException>(() => new EgressAllowlist([entry])).Message.ShouldBe(message);
    }

    [Fact]
    public void Rules_print_with_their_port()
    {
        new EgressAllowlist(["api.anthropic.com", "*.example.org:8443", "[::1]:80"]).Rules.Select(r => r.ToString())
            .ShouldBe(["api.anthropic.com:443", "*.example.org:8443", "[::1]:80"]);
    }
}
