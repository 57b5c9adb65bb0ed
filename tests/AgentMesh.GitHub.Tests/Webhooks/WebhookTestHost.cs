using System.Net;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentMesh.GitHub.Tests.Webhooks;

/// <summary>A real Kestrel host on 127.0.0.1 with the webhook endpoint mapped, for tests over HTTP.</summary>
public sealed class WebhookTestHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private WebhookTestHost(WebApplication app, Uri url, CapturingLoggerProvider logs)
    {
        _app = app;
        Url = url;
        Logs = logs;
    }

    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public HttpClient Client { get; } = new();

    public CapturingLoggerProvider Logs { get; }

    public static async Task<WebhookTestHost> StartAsync(IWebhookInbox inbox, Action<GitHubWebhookOptions> configure, TimeProvider? time = null, IWebhookSecretProvider? secrets = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var logs = new CapturingLoggerProvider();
        builder.Logging.ClearProviders().AddProvider(logs).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSingleton(inbox);
        builder.Services.AddSingleton(time ?? new FakeTimeProvider());
        if (secrets is not null)
        {
            builder.Services.AddSingleton(secrets);
        }
        builder.Services.AddGitHubWebhooks(configure);
        var app = builder.Build();
        app.MapGitHubWebhooks("/webhooks/github");
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new WebhookTestHost(app, new Uri(address.TrimEnd('/') + "/webhooks/github"), logs);
    }

    /// <summary>Posts a body with exactly the given headers (null leaves a header out).</summary>
    public async Task<HttpResponseMessage> PostAsync(byte[] body, string? eventName, string? deliveryId, string? signature, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }
        if (eventName is not null)
        {
            request.Headers.Add("X-GitHub-Event", eventName);
        }
        if (deliveryId is not null)
        {
            request.Headers.Add("X-GitHub-Delivery", deliveryId);
        }
        if (signature is not null)
        {
            request.Headers.Add("X-Hub-Signature-256", signature);
        }
        return await Client.SendAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
