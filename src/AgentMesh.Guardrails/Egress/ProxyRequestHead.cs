using System.Globalization;
using System.Text;

namespace AgentMesh.Guardrails.Egress;

/// <summary>
/// The head of one request to the proxy (request line and headers) and where it wants to go. Three forms:
/// <c>CONNECT host:port</c> (a tunnel, what HTTPS clients send), <c>GET http://host:port/path</c> (a plain-HTTP
/// proxy request), and <c>GET /path</c> with a <c>Host</c> header (a client that talks to the proxy's unix
/// socket as if it were the server, e.g. <c>curl --unix-socket</c>).
/// </summary>
internal sealed record ProxyRequestHead(string Method, string Host, int Port, string OriginFormTarget, string Version, IReadOnlyList<string> HeaderLines)
{
    public bool IsConnect => Method == "CONNECT";

    /// <summary>Reads a head of at most <paramref name="maxBytes"/>; returns it with the bytes read past it, or null when malformed or too big.</summary>
    public static async Task<(ProxyRequestHead? Head, ReadOnlyMemory<byte> Remainder)> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var buffer = new byte[maxBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return (null, default);
            }
            var searchFrom = Math.Max(0, filled - 3);
            filled += read;
            var end = buffer.AsSpan(searchFrom, filled - searchFrom).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                var headLength = searchFrom + end + 4;
                // Latin-1: every byte maps to one char, so a malformed head cannot throw while decoding.
                var text = Encoding.Latin1.GetString(buffer, 0, headLength - 4);
                return (Parse(text), buffer.AsMemory(headLength, filled - headLength));
            }
        }
        return (null, default);
    }

    internal static ProxyRequestHead? Parse(string text)
    {
        var lines = text.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine.Length != 3 || !requestLine[2].StartsWith("HTTP/1.", StringComparison.Ordinal))
        {
            return null;
        }
        var (method, target, version) = (requestLine[0], requestLine[1], requestLine[2]);
        var headers = lines.Skip(1).ToList();
        if (method == "CONNECT")
        {
            return SplitHostPort(target, defaultPort: null) is { } authority
                ? new ProxyRequestHead(method, authority.Host, authority.Port, "", version, headers)
                : null;
        }
        if (target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || uri.UserInfo.Length > 0)
            {
                return null;
            }
            return new ProxyRequestHead(method, uri.IdnHost, uri.Port, uri.PathAndQuery, version, headers);
        }
        if (target.StartsWith('/'))
        {
            var host = headers.FirstOrDefault(h => h.StartsWith("Host:", StringComparison.OrdinalIgnoreCase))?[5..].Trim();
            return host is not null && SplitHostPort(host, defaultPort: 80) is { } authority
                ? new ProxyRequestHead(method, authority.Host, authority.Port, target, version, headers)
                : null;
        }
        // https:// absolute-form and anything else: a client that wants TLS must use CONNECT.
        return null;
    }

    /// <summary>The head to send upstream: origin-form target, no proxy headers, and one request per connection.</summary>
    public byte[] ForUpstream()
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Method} {OriginFormTarget} {Version}\r\n");
        foreach (var header in HeaderLines)
        {
            // Proxy-Authorization is for the proxy only; Connection is replaced so the upstream closes after one
            // response: a kept-alive connection could otherwise carry a second request the proxy never looked at.
            if (header.StartsWith("Proxy-", StringComparison.OrdinalIgnoreCase)
                || header.StartsWith("Connection:", StringComparison.OrdinalIgnoreCase)
                || header.StartsWith("Keep-Alive:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            text.Append(header).Append("\r\n");
        }
        text.Append("Connection: close\r\n\r\n");
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    private static (string Host, int Port)? SplitHostPort(string authority, int? defaultPort)
    {
        string host;
        string? portText;
        if (authority.StartsWith('['))
        {
            var close = authority.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return null;
            }
            host = authority[1..close];
            portText = authority.Length > close + 1 && authority[close + 1] == ':' ? authority[(close + 2)..] : null;
        }
        else
        {
            var colon = authority.LastIndexOf(':');
            host = colon < 0 ? authority : authority[..colon];
            portText = colon < 0 ? null : authority[(colon + 1)..];
        }
        if (host.Length == 0)
        {
            return null;
        }
        if (portText is null)
        {
            return defaultPort is { } port ? (host, port) : null;
        }
        return int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && parsed is > 0 and <= 65535
            ? (host, parsed)
            : null;
    }
}
