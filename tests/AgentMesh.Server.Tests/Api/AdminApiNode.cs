using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Net.Http.Headers;
using AgentMesh.Core.Jobs;
using AgentMesh.Dashboard.Auth;
using AgentMesh.GitHub.Webhooks;
using AgentMesh.Grains.Abstractions.Deliveries;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentMesh.Server.Tests.Api;

/// <summary>
/// A real node host (the same <c>AddAgentMeshNode</c>/<c>MapAgentMeshNode</c> wiring as
/// <c>agentmesh serve</c>) on loopback with a real SQLite file in a temp folder. It runs no
/// worker, so jobs the tests create stay where the tests put them.
/// </summary>
public sealed class AdminApiNode : IAsyncDisposable
{
    public const string DefaultToken = "api-test-token-5b1f0c2e9d";

    /// <summary>The node's global webhook secret, which signs deliveries that name no repository (an App's installation events).</summary>
    public const string WebhookSecret = "api-test-webhook-secret-7c41";

    private readonly TempDirectory _data;

    private AdminApiNode(WebApplication app, TempDirectory data, Uri baseAddress, string nodeId, string? token, CapturingLoggerProvider logs)
    {
        App = app;
        _data = data;
        BaseAddress = baseAddress;
        NodeId = nodeId;
        Token = token;
        Logs = logs;
        Client = NewClient(token);
        Anonymous = NewClient(null);
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    public string NodeId { get; }

    public string? Token { get; }

    /// <summary>Every log message the node wrote, for asserting that secrets stay out of logs.</summary>
    public CapturingLoggerProvider Logs { get; }

    /// <summary>Carries the admin token.</summary>
    public HttpClient Client { get; }

    /// <summary>Carries no token.</summary>
    public HttpClient Anonymous { get; }

    public JobActor Jobs => App.Services.GetRequiredService<JobActor>();

    public IAgentMeshStore Store => App.Services.GetRequiredService<IAgentMeshStore>();

    /// <param name="settings">More <c>--Section:Key=value</c> settings, e.g. a PostgreSQL store.</param>
    public static async Task<AdminApiNode> StartAsync(string? token = DefaultToken, TimeProvider? timeProvider = null, IReadOnlyList<string>? settings = null)
    {
        var data = new TempDirectory("agentmesh-api");
        var nodeId = $"api-test-{Guid.NewGuid():N}"[..20];
        List<string> args = ["--urls=http://127.0.0.1:0", $"--Store:DataDirectory={data.Path}", $"--Node:NodeId={nodeId}", $"--GitHub:Webhooks:GlobalSecret={WebhookSecret}"];
        if (token is not null)
        {
            args.Add($"--Admin:Token={token}");
        }
        args.AddRange(settings ?? []);
        var logs = new CapturingLoggerProvider();
        var app = Build([.. args], logs, timeProvider);
        try
        {
            app.MapAgentMeshNode();
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            data.Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new AdminApiNode(app, data, new Uri(address), nodeId, token, logs);
    }

    /// <summary>Builds (not starts) a node the way the fixture does, for tests of start-up failures.</summary>
    public static WebApplication Build(string[] args, CapturingLoggerProvider? logs = null, TimeProvider? timeProvider = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args });
        builder.AddAgentMeshNode();
        if (logs is not null)
        {
            builder.Logging.AddProvider(logs);
        }
        if (timeProvider is not null)
        {
            builder.Services.AddSingleton(timeProvider);
        }
        // The API is under test, not job execution: no worker claims what the tests create.
        var workers = builder.Services.Where(d => d.ServiceType == typeof(IHostedService) && d.ImplementationType == typeof(WorkerService)).ToList();
        foreach (var worker in workers)
        {
            builder.Services.Remove(worker);
        }
        return builder.Build();
    }

    /// <summary>A repository name no other test uses.</summary>
    public static string NewRepo() => $"acme/r{Guid.NewGuid():N}"[..18];

    public async Task<JobRecord> CreateJobAsync(string repo, int number, int priority = 0, JobKind kind = JobKind.SolveIssue)
    {
        var (record, created) = await Jobs.CreateAsync(repo, number, kind, maxFixRounds: 3, priority: priority);
        if (!created)
        {
            throw new InvalidOperationException($"{repo}#{number} already had a job.");
        }
        return record;
    }

    public HttpClient NewClient(string? token)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
        return client;
    }

    /// <summary>
    /// A client signed in to the dashboard with <paramref name="role"/> the way a person is: a
    /// sign-in link from the node's <see cref="SignInLinks"/>, redeemed at <c>/signin/local</c>,
    /// its cookie kept. Redirects are not followed, so a test sees the node's own answer.
    /// </summary>
    /// <param name="cookies">Where the cookie goes, for a test that looks at it; a new container when null.</param>
    public async Task<HttpClient> SignedInClientAsync(string role, CookieContainer? cookies = null)
    {
        var token = App.Services.GetRequiredService<SignInLinks>().Issue(role, $"test-{role}", TimeSpan.FromMinutes(5));
        var client = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };
        using var form = new FormUrlEncodedContent([new KeyValuePair<string, string>("token", token)]);
        using var signIn = await client.PostAsync(new Uri(SignInEndpoints.LocalPath, UriKind.Relative), form);
        if (signIn.StatusCode != HttpStatusCode.Redirect)
        {
            client.Dispose();
            throw new InvalidOperationException($"Signing in as {role} answered {(int)signIn.StatusCode}, not the redirect to the board.");
        }
        return client;
    }

    /// <summary>Sends one delivery to <c>/webhooks/github</c> signed with <see cref="WebhookSecret"/>, as GitHub does; returns its delivery id.</summary>
    public async Task<string> SendWebhookAsync(string eventName, JsonObject payload)
    {
        var deliveryId = Guid.NewGuid().ToString();
        var body = Encoding.UTF8.GetBytes(payload.ToJsonString());
        using var request = new HttpRequestMessage(HttpMethod.Post, "/webhooks/github") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("X-GitHub-Delivery", deliveryId);
        request.Headers.Add("X-GitHub-Event", eventName);
        request.Headers.Add("X-Hub-Signature-256", WebhookSignature.Compute(Encoding.UTF8.GetBytes(WebhookSecret), body));
        using var response = await Anonymous.SendAsync(request);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"The {eventName} delivery was answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }
        return deliveryId;
    }

    /// <summary>The outcome the delivery grain recorded once it processed <paramref name="deliveryId"/>, polled with a deadline.</summary>
    public Task<string> ProcessedOutcomeAsync(string deliveryId) =>
        Eventually.ValueAsync(
            async () =>
            {
                var status = await App.Services.GetRequiredService<IGrainFactory>().GetGrain<IDeliveryGrain>(deliveryId).GetStatusAsync();
                return status is { Processed: true } ? status.Outcome ?? status.Error ?? "" : null;
            },
            $"delivery {deliveryId} to be processed");

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Anonymous.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
        _data.Dispose();
    }
}

/// <summary>Keeps every formatted log message (and exception text) a node writes.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _messages = new();

    public IReadOnlyList<string> Messages => [.. _messages];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner._messages.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception}");
    }
}
