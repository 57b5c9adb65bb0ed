using System.Globalization;
using System.Net;

namespace AgentMesh.Guardrails.Egress;

/// <summary>
/// One allowlist entry: a host (exact, or <c>*.suffix</c> for any name under the suffix but not the suffix
/// itself) and a port. Without a port an entry allows 443 only: agents talk HTTPS to their providers, and a
/// plain-HTTP or other port is something to list on purpose.
/// </summary>
public sealed record EgressRule
{
    /// <summary>The port an entry without one allows.</summary>
    public const int DefaultPort = 443;

    private EgressRule(string host, bool wildcard, int port)
    {
        Host = host;
        IsWildcard = wildcard;
        Port = port;
    }

    /// <summary>The host, lower case, without a trailing dot; for a wildcard the suffix after "*.".</summary>
    public string Host { get; }

    /// <summary>True for <c>*.suffix</c> entries.</summary>
    public bool IsWildcard { get; }

    /// <summary>The allowed port.</summary>
    public int Port { get; }

    /// <summary>
    /// Parses <c>host</c>, <c>host:port</c>, <c>*.suffix[:port]</c>, <c>1.2.3.4[:port]</c> or <c>[::1][:port]</c>.
    /// </summary>
    /// <exception cref="FormatException">The entry is not one of those forms; the message names it.</exception>
    public static EgressRule Parse(string entry)
    {
        var text = entry?.Trim() ?? "";
        string host;
        var port = DefaultPort;
        if (text.Contains("://", StringComparison.Ordinal))
        {
            throw Invalid(entry, "write the host without a scheme, e.g. api.example.com:443");
        }
        if (text.StartsWith('['))
        {
            var close = text.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                throw Invalid(entry, "an IPv6 address needs its closing ']'");
            }
            host = text[1..close];
            var rest = text[(close + 1)..];
            if (rest.Length > 0)
            {
                port = rest[0] == ':' ? ParsePort(entry, rest[1..]) : throw Invalid(entry, "only ':port' may follow ']'");
            }
        }
        else
        {
            var colon = text.LastIndexOf(':');
            if (colon >= 0 && text.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                throw Invalid(entry, "write an IPv6 address in brackets, e.g. [::1]:8080");
            }
            host = colon < 0 ? text : text[..colon];
            if (colon >= 0)
            {
                port = ParsePort(entry, text[(colon + 1)..]);
            }
        }
        var wildcard = host.StartsWith("*.", StringComparison.Ordinal);
        if (wildcard)
        {
            host = host[2..];
        }
        host = EgressAllowlist.NormalizeHost(host);
        if (host.Length == 0 || host.Contains('*', StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
        {
            throw Invalid(entry, "expected host, host:port or *.suffix:port");
        }
        if (wildcard && IPAddress.TryParse(host, out _))
        {
            throw Invalid(entry, "a wildcard needs a domain name, not an address");
        }
        return new EgressRule(host, wildcard, port);
    }

    /// <summary>True when this entry allows <paramref name="normalizedHost"/> on <paramref name="port"/>.</summary>
    public bool Allows(string normalizedHost, int port) =>
        port == Port && (IsWildcard
            ? normalizedHost.EndsWith("." + Host, StringComparison.Ordinal)
            : normalizedHost == Host);

    /// <inheritdoc />
    public override string ToString() => (IsWildcard ? "*." : "") + (Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]" : Host) + ":" + Port.ToString(CultureInfo.InvariantCulture);

    private static int ParsePort(string? entry, string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535
            ? port
            : throw Invalid(entry, $"'{text}' is not a port (1-65535)");

    private static FormatException Invalid(string? entry, string why) => new($"Egress allowlist entry \"{entry}\" is invalid: {why}.");
}
