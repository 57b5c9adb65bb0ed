using AgentMesh.GitHub.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

// Extension methods live in the namespace of the type they extend so `app.MapGitHubWebhooks` needs no extra using.
#pragma warning disable IDE0130
namespace Microsoft.AspNetCore.Builder;
#pragma warning restore IDE0130

/// <summary>Maps the GitHub webhook endpoint.</summary>
public static class GitHubWebhookEndpointExtensions
{
    /// <summary>
    /// Maps <c>POST {pattern}</c> (usually <c>/webhooks/github</c>) to <see cref="GitHubWebhookHandler"/>.
    /// The host must register an <see cref="AgentMesh.Storage.Abstractions.IWebhookInbox"/> and call
    /// <see cref="GitHubWebhookServiceCollectionExtensions.AddGitHubWebhooks"/>.
    /// </summary>
    public static RouteHandlerBuilder MapGitHubWebhooks(this IEndpointRouteBuilder endpoints, string pattern = "/webhooks/github")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        return endpoints
            .MapPost(pattern, (HttpContext context, GitHubWebhookHandler handler) => handler.HandleAsync(context))
            .DisableAntiforgery()
            .WithName("GitHubWebhooks");
    }
}
