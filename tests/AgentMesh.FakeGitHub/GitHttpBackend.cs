using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace AgentMesh.FakeGitHub;

/// <summary>
/// Serves git's smart-HTTP protocol by running <c>git http-backend</c> as a CGI program per request,
/// so clones and pushes against the fake are real git operations on bare repositories on disk.
/// </summary>
internal static class GitHttpBackend
{
    /// <summary>Runs the CGI for one request and copies its answer to <paramref name="context"/>.</summary>
    /// <param name="projectRoot">The folder holding <c>owner/name.git</c> bare repositories.</param>
    /// <param name="pathInfo">The path under the root, e.g. <c>/owner/name.git/info/refs</c>.</param>
    /// <param name="remoteUser">The authenticated login; http-backend enables receive-pack (push) only when set.</param>
    public static async Task ServeAsync(HttpContext context, string projectRoot, string pathInfo, string remoteUser)
    {
        var request = context.Request;
        var start = new ProcessStartInfo("git", ["http-backend"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var env = start.Environment;
        env["GIT_PROJECT_ROOT"] = projectRoot;
        env["GIT_HTTP_EXPORT_ALL"] = "1";
        env["PATH_INFO"] = pathInfo;
        env["REQUEST_METHOD"] = request.Method;
        env["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        env["CONTENT_TYPE"] = request.ContentType ?? "";
        env["REMOTE_USER"] = remoteUser;
        env["REMOTE_ADDR"] = context.Connection.RemoteIpAddress?.ToString() ?? "127.0.0.1";
        env["SERVER_PROTOCOL"] = "HTTP/1.1";
        env["GATEWAY_INTERFACE"] = "CGI/1.1";
        if (request.ContentLength is { } length)
        {
            env["CONTENT_LENGTH"] = length.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (request.Headers.ContentEncoding.ToString() is { Length: > 0 } encoding)
        {
            env["HTTP_CONTENT_ENCODING"] = encoding;
        }
        if (request.Headers["Git-Protocol"].ToString() is { Length: > 0 } protocol)
        {
            env["HTTP_GIT_PROTOCOL"] = protocol;
        }
        // A developer's own git config must not change what the fake serves.
        env["GIT_CONFIG_NOSYSTEM"] = "1";
        env["HOME"] = projectRoot;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start `git http-backend`; is git installed?");
        var stderr = process.StandardError.ReadToEndAsync(context.RequestAborted);
        var feed = FeedBodyAsync(request.Body, process.StandardInput.BaseStream, context.RequestAborted);
        var stdout = process.StandardOutput.BaseStream;

        var (status, headers, leftover) = await ReadCgiHeadersAsync(stdout, context.RequestAborted);
        context.Response.StatusCode = status;
        foreach (var (name, value) in headers)
        {
            context.Response.Headers.Append(name, value);
        }
        await context.Response.Body.WriteAsync(leftover, context.RequestAborted);
        await stdout.CopyToAsync(context.Response.Body, context.RequestAborted);
        await feed;
        await process.WaitForExitAsync(context.RequestAborted);
        var errors = await stderr;
        if (process.ExitCode != 0 && status < 400)
        {
            throw new InvalidOperationException($"git http-backend exited {process.ExitCode} for {request.Method} {pathInfo}: {errors}");
        }
    }

    private static async Task FeedBodyAsync(Stream body, Stream stdin, CancellationToken cancellationToken)
    {
        try
        {
            await body.CopyToAsync(stdin, cancellationToken);
        }
        finally
        {
            stdin.Close();
        }
    }

    /// <summary>Reads CGI headers (up to the blank line); returns the status, the headers and any body bytes read past them.</summary>
    private static async Task<(int Status, List<(string Name, string Value)> Headers, byte[] Leftover)> ReadCgiHeadersAsync(Stream stdout, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[4096];
        while (true)
        {
            var data = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
            var (end, separator) = FindHeaderEnd(data);
            if (end >= 0)
            {
                var text = Encoding.ASCII.GetString(data[..end]);
                var leftover = data[(end + separator)..].ToArray();
                var status = 200;
                var headers = new List<(string, string)>();
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var colon = line.IndexOf(':', StringComparison.Ordinal);
                    if (colon <= 0)
                    {
                        continue;
                    }
                    var name = line[..colon].Trim();
                    var value = line[(colon + 1)..].Trim();
                    if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
                    {
                        status = int.Parse(value.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        headers.Add((name, value));
                    }
                }
                return (status, headers, leftover);
            }
            var read = await stdout.ReadAsync(chunk, cancellationToken);
            if (read == 0)
            {
                throw new InvalidOperationException("git http-backend ended before sending its headers.");
            }
            buffer.Write(chunk, 0, read);
        }
    }

    private static (int End, int SeparatorLength) FindHeaderEnd(ReadOnlySpan<byte> data)
    {
        var crlf = data.IndexOf("\r\n\r\n"u8);
        var lf = data.IndexOf("\n\n"u8);
        if (crlf >= 0 && (lf < 0 || crlf < lf))
        {
            return (crlf, 4);
        }
        return lf >= 0 ? (lf, 2) : (-1, 0);
    }
}
