using System.Buffers;
using System.Text.Json;
using AgentMesh.GitHub.Events;
using AgentMesh.GitHub.Rest;
using AgentMesh.Storage.Abstractions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentMesh.GitHub.Webhooks;

/// <summary>
/// Receives one delivery: caps and reads the raw body, verifies the signature, and writes it to the
/// durable inbox before answering. Nothing is processed here; the inbox is drained after the response.
/// Bad input is always a 4xx; only a store failure is a 5xx (503), because that is worth redelivering.
/// </summary>
public sealed class GitHubWebhookHandler(
    IWebhookInbox inbox,
    IWebhookSecretProvider secrets,
    IOptionsMonitor<GitHubWebhookOptions> options,
    TimeProvider timeProvider,
    GitHubInstallationDirectory installations,
    ILogger<GitHubWebhookHandler> logger)
{
    // Delivery ids are GUIDs and event names short words; the caps stop a forged header from bloating the inbox.
    private const int MaxDeliveryIdLength = 100;
    private const int MaxEventNameLength = 100;
    private const int ReadChunkBytes = 16 * 1024;

    /// <summary>Handles the request and returns the answer for GitHub.</summary>
    public async Task<IResult> HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        var deliveryId = request.Headers[WebhookHeaders.Delivery].ToString();
        var eventName = request.Headers[WebhookHeaders.Event].ToString();
        if (deliveryId.Length is 0 or > MaxDeliveryIdLength)
        {
            return Reject(StatusCodes.Status400BadRequest, $"missing or invalid {WebhookHeaders.Delivery} header", null);
        }
        if (eventName.Length is 0 or > MaxEventNameLength)
        {
            return Reject(StatusCodes.Status400BadRequest, $"missing or invalid {WebhookHeaders.Event} header", deliveryId);
        }

        var maxBytes = options.CurrentValue.MaxBodyBytes;
        if (request.ContentLength > maxBytes)
        {
            return Reject(StatusCodes.Status413PayloadTooLarge, $"body of {request.ContentLength} bytes is over the {maxBytes}-byte limit", deliveryId);
        }
        var body = await ReadCappedAsync(context, maxBytes).ConfigureAwait(false);
        if (body.Error is { } error)
        {
            return Reject(error.StatusCode, error.Reason, deliveryId);
        }
        var payload = body.Payload!;

        var signature = request.Headers[WebhookHeaders.Signature256].ToString();
        if (signature.Length == 0)
        {
            return Reject(StatusCodes.Status401Unauthorized, $"missing {WebhookHeaders.Signature256} header", deliveryId);
        }
        // Malformed JSON names no repository or installation, so only the global secret can vouch for it;
        // verifying first means an unsigned caller cannot tell a parse error from a bad signature.
        var routing = WebhookRouting.TryRead(payload);
        if (!await IsSignedWithAnyAsync(signature, payload, routing, context.RequestAborted).ConfigureAwait(false))
        {
            return Reject(StatusCodes.Status401Unauthorized, "signature does not match any configured secret", deliveryId);
        }
        if (routing is null)
        {
            return Reject(StatusCodes.Status400BadRequest, "body is not a JSON object", deliveryId);
        }

        var delivery = new InboxDelivery(deliveryId, eventName, routing.Action, routing.Repository, routing.InstallationId, payload, timeProvider.GetUtcNow());
        InboxAddResult result;
        try
        {
            result = await inbox.AddAsync(delivery, context.RequestAborted).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
        {
            WebhookLog.StoreFailed(logger, exception, deliveryId);
            return Results.Text("the delivery could not be stored; redeliver later", statusCode: StatusCodes.Status503ServiceUnavailable);
        }
        if (result == InboxAddResult.Duplicate)
        {
            WebhookLog.Duplicate(logger, deliveryId, eventName);
            return Results.Text("duplicate delivery; already stored", statusCode: StatusCodes.Status200OK);
        }
        WebhookLog.Accepted(logger, deliveryId, eventName, routing.Action, routing.Repository);
        LearnInstallation(eventName, payload, routing);
        return Results.Text("accepted", statusCode: StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Keeps <see cref="GitHubInstallationDirectory"/> current: an installation event changes which
    /// repositories an installation serves; any other delivery names the installation of its repository.
    /// A cache update, not processing: the delivery is already stored, and a node that misses one asks GitHub.
    /// </summary>
    private void LearnInstallation(string eventName, byte[] payload, WebhookRouting routing)
    {
        if (eventName is not (WebhookEventNames.Installation or WebhookEventNames.InstallationRepositories))
        {
            installations.Learn(routing.Repository, routing.InstallationId);
            return;
        }
        try
        {
            installations.Apply(WebhookEventParser.Parse(eventName, payload));
        }
        catch (JsonException)
        {
            // Stored all the same; the inbox records the parse error when it processes the delivery.
        }
    }

    /// <summary>Tries the candidate secrets in their order and stops at the first that verifies (a later one may need a read).</summary>
    private async Task<bool> IsSignedWithAnyAsync(string signature, byte[] payload, WebhookRouting? routing, CancellationToken cancellationToken)
    {
        await foreach (var secret in secrets.GetCandidateSecretsAsync(routing?.Repository, routing?.InstallationId, cancellationToken).ConfigureAwait(false))
        {
            if (IsSignedWith(signature, secret, payload))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Octokit.Webhooks' validator (constant-time HMAC-SHA256 over the exact bytes). It calls an unsigned
    /// delivery valid when the secret is empty; an empty secret here never vouches for anything.
    /// </summary>
    private static bool IsSignedWith(string signature, string secret, byte[] payload) =>
        secret.Length > 0
        && Octokit.Webhooks.WebhookSignatureValidator.Verify(signature, secret, payload) == Octokit.Webhooks.WebhookSignatureValidationResult.Valid;

    private IResult Reject(int statusCode, string reason, string? deliveryId)
    {
        WebhookLog.Rejected(logger, statusCode, reason, deliveryId);
        return Results.Text(reason, statusCode: statusCode);
    }

    /// <summary>Reads the whole body, counting bytes so a chunked body without Content-Length is capped too.</summary>
    private static async Task<CappedBody> ReadCappedAsync(HttpContext context, long maxBytes)
    {
        // Our counter is the limit: it stops reading at max + 1 bytes, so memory stays bounded. Kestrel's own
        // limit (30 MB by default) is lifted because it counts chunked framing too, and would refuse a
        // chunked body that is exactly at our cap, or turn a bigger configured cap into an exception mid-read.
        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            sizeFeature.MaxRequestBodySize = null;
        }
        var initial = (int)Math.Min(context.Request.ContentLength ?? ReadChunkBytes, maxBytes + 1);
        var buffer = new ArrayBufferWriter<byte>(Math.Max(initial, 1));
        try
        {
            while (true)
            {
                var read = await context.Request.Body.ReadAsync(buffer.GetMemory(ReadChunkBytes), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    return new CappedBody(buffer.WrittenSpan.ToArray(), null);
                }
                buffer.Advance(read);
                if (buffer.WrittenCount > maxBytes)
                {
                    return new CappedBody(null, (StatusCodes.Status413PayloadTooLarge, $"body is over the {maxBytes}-byte limit"));
                }
            }
        }
        catch (BadHttpRequestException exception)
        {
            // A malformed chunked body or a body shorter than its Content-Length: the client's fault.
            return new CappedBody(null, (exception.StatusCode, "the request body could not be read"));
        }
    }

    private sealed record CappedBody(byte[]? Payload, (int StatusCode, string Reason)? Error);
}
