using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Agents.Tests;

/// <summary>
/// Git's smart-HTTP protocol on loopback: a Kestrel host running <c>git http-backend</c> as a CGI program over
/// the bare repositories in a folder, demanding HTTP Basic auth with one token the way GitHub does.
/// </summary>
internal sealed class GitHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly string _projectRoot;
    private readonly byte[] _expectedAuthorization;

    private GitHttpServer(WebApplication app, string projectRoot, string token)
    {
        _app = app;
        _projectRoot = projectRoot;
        _expectedAuthorization = Encoding.ASCII.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + token)));
    }

    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Each request's method, path and whether it carried the right credentials.</summary>
    public ConcurrentQueue<(string Request, bool Authorized)> Requests { get; } = new();

    public static async Task<GitHttpServer> StartAsync(string projectRoot, string token)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new GitHttpServer(app, projectRoot, token);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseUrl = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var given = Encoding.ASCII.GetBytes(request.Headers.Authorization.ToString());
        var authorized = CryptographicOperations.FixedTimeEquals(given, _expectedAuthorization);
        Requests.Enqueue(($"{request.Method} {request.Path}{request.QueryString}", authorized));
        if (!authorized)
        {
            context.Response.StatusCode = 401;
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"fake github\"";
            return;
        }

        var psi = new ProcessStartInfo("git") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add("http-backend");
        psi.Environment["GIT_PROJECT_ROOT"] = _projectRoot;
        psi.Environment["GIT_HTTP_EXPORT_ALL"] = "1";
        psi.Environment["REMOTE_USER"] = "x-access-token"; // lets http-backend accept pushes
        psi.Environment["REQUEST_METHOD"] = request.Method;
        psi.Environment["PATH_INFO"] = request.Path.Value ?? "/";
        psi.Environment["QUERY_STRING"] = request.QueryString.HasValue ? request.QueryString.Value![1..] : "";
        psi.Environment["CONTENT_TYPE"] = request.ContentType ?? "";
        psi.Environment["HTTP_CONTENT_ENCODING"] = request.Headers.ContentEncoding.ToString();
        psi.Environment["GIT_PROTOCOL"] = request.Headers["Git-Protocol"].ToString();
        using var git = Process.Start(psi)!;
        var feeding = Task.Run(async () =>
        {
            await request.Body.CopyToAsync(git.StandardInput.BaseStream);
            git.StandardInput.Close();
        });

        // CGI response: headers up to a blank line, then the body.
        var output = git.StandardOutput.BaseStream;
        var header = new List<byte>();
        while (!EndsWithBlankLine(header))
        {
            var b = output.ReadByte();
            if (b < 0)
            {
                break;
            }
            header.Add((byte)b);
        }
        foreach (var line in Encoding.ASCII.GetString([.. header]).Split(["\r\n", "\n"], StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var (name, value) = (line[..colon].Trim(), line[(colon + 1)..].Trim());
            if (name.Equals("Status", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.StatusCode = int.Parse(value.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
            }
            else
            {
                context.Response.Headers[name] = value;
            }
        }
        await output.CopyToAsync(context.Response.Body);
        await feeding;
        await git.WaitForExitAsync();
    }

    private static bool EndsWithBlankLine(List<byte> bytes) =>
        (bytes.Count >= 2 && bytes[^1] == '\n' && bytes[^2] == '\n') ||
        (bytes.Count >= 4 && bytes[^1] == '\n' && bytes[^2] == '\r' && bytes[^3] == '\n' && bytes[^4] == '\r');
}
