using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AgentMesh.FakeModel;

/// <summary>
/// A scripted Anthropic Messages API on loopback (Kestrel, 127.0.0.1, a free port). It streams Server-Sent
/// Events the way the real API does (message_start with usage, ping, content_block_start/delta/stop with
/// text_delta or input_json_delta, message_delta with stop_reason and usage, message_stop), answers a plain
/// JSON message when <c>stream</c> is false, and records every request. Point a CLI at it with
/// <c>ANTHROPIC_BASE_URL</c> = <see cref="BaseUrl"/>.
/// </summary>
public sealed class FakeModelServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ModelTurn> _turns;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly object _gate = new();
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _messageCount;
    private volatile bool _overloaded;
    private int _stalled;

    private FakeModelServer(WebApplication app, IEnumerable<ModelTurn> script)
    {
        _app = app;
        _turns = new ConcurrentQueue<ModelTurn>(script);
    }

    /// <summary>The base address to give a CLI, e.g. http://127.0.0.1:41234.</summary>
    public Uri BaseUrl { get; private set; } = null!;

    /// <summary>Token counts every response reports (input, output, cache read, cache write).</summary>
    public ModelUsage Usage { get; init; } = new(InputTokens: 100, OutputTokens: 20, CacheReadInputTokens: 30, CacheCreationInputTokens: 40);

    /// <summary>Every request received, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>The message-creating requests (each one consumed a turn of the script).</summary>
    public IReadOnlyList<RecordedRequest> MessageRequests => [.. _requests.Where(r => r.IsMessages)];

    /// <summary>How many requests are being held by a <see cref="ModelTurn.Stall"/> turn right now.</summary>
    public int StalledCount => Volatile.Read(ref _stalled);

    /// <summary>Text answered once the script is used up, so a CLI that asks again does not hang.</summary>
    public string WhenScriptEnds { get; init; } = "The script has no more turns.";

    /// <summary>Starts a server that answers with <paramref name="script"/>, one turn per message request.</summary>
    public static async Task<FakeModelServer> StartAsync(params ModelTurn[] script)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new FakeModelServer(app, script);
        app.Run(server.HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address);
        return server;
    }

    /// <summary>Lets every held (and future) stall turn finish with its text.</summary>
    public void ReleaseStalls()
    {
        lock (_gate)
        {
            _release.TrySetResult();
        }
    }

    /// <summary>True when some message request's user side contains <paramref name="fragment"/>.</summary>
    public bool SawUserText(string fragment) =>
        MessageRequests.Any(r => r.UserTexts().Any(t => t.Contains(fragment, StringComparison.Ordinal)));

    public async ValueTask DisposeAsync()
    {
        ReleaseStalls();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(context.RequestAborted).ConfigureAwait(false);
        }
        var headers = request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var recorded = new RecordedRequest(request.Method, request.Path + request.QueryString, body, headers);
        _requests.Enqueue(recorded);

        if (request.Method == "POST" && request.Path.Value?.EndsWith("/count_tokens", StringComparison.Ordinal) == true)
        {
            await WriteJsonAsync(context, 200, new JsonObject { ["input_tokens"] = Usage.InputTokens }).ConfigureAwait(false);
            return;
        }
        if (!recorded.IsMessages)
        {
            await WriteJsonAsync(context, 404, ErrorBody("not_found_error", $"No fake for {request.Method} {request.Path}.")).ConfigureAwait(false);
            return;
        }

        var json = recorded.Json;
        var model = (string?)json?["model"] ?? "claude-fake";
        var stream = json?["stream"] is JsonValue s && s.TryGetValue<bool>(out var b) && b;
        Interlocked.Increment(ref _messageCount);
        var turn = _overloaded ? new OverloadedTurn() : _turns.TryDequeue(out var next) ? next : ModelTurn.Text(WhenScriptEnds);

        switch (turn)
        {
            case OverloadedTurn:
                _overloaded = true;
                await WriteJsonAsync(context, 529, ErrorBody("overloaded_error", "Overloaded")).ConfigureAwait(false);
                return;
            case StallTurn stall:
                Interlocked.Increment(ref _stalled);
                try
                {
                    Task released;
                    lock (_gate)
                    {
                        released = _release.Task;
                    }
                    await released.WaitAsync(context.RequestAborted).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return; // the client gave up (interrupt, timeout, kill): nothing to answer
                }
                finally
                {
                    Interlocked.Decrement(ref _stalled);
                }
                await AnswerAsync(context, model, stream, [new TextBlock(stall.ThenText)], "end_turn").ConfigureAwait(false);
                return;
            case TextTurn text:
                await AnswerAsync(context, model, stream, [new TextBlock(text.Value)], "end_turn").ConfigureAwait(false);
                return;
            case LinesTurn lines:
                var all = string.Join('\n', Enumerable.Range(1, lines.Count).Select(i => $"line {i}"));
                await AnswerAsync(context, model, stream, [new TextBlock(all)], "end_turn").ConfigureAwait(false);
                return;
            case ToolUseTurn tool:
                var id = "toolu_" + Guid.NewGuid().ToString("N")[..24];
                await AnswerAsync(context, model, stream, [new ToolBlock(id, tool.Name, tool.Input)], "tool_use").ConfigureAwait(false);
                return;
            default:
                throw new InvalidOperationException($"Unknown turn {turn}.");
        }
    }

    private async Task AnswerAsync(HttpContext context, string model, bool stream, IReadOnlyList<Block> blocks, string stopReason)
    {
        var messageId = "msg_" + Guid.NewGuid().ToString("N")[..24];
        if (!stream)
        {
            var content = new JsonArray();
            foreach (var block in blocks)
            {
                content.Add(block.ToContent());
            }
            await WriteJsonAsync(context, 200, new JsonObject
            {
                ["id"] = messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = content,
                ["stop_reason"] = stopReason,
                ["stop_sequence"] = null,
                ["usage"] = Usage.ToJson(Usage.OutputTokens),
            }).ConfigureAwait(false);
            return;
        }

        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["request-id"] = "req_" + Guid.NewGuid().ToString("N")[..24];
        var ct = context.RequestAborted;

        await SendAsync(response, "message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = messageId,
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = Usage.ToJson(outputTokens: 1),
            },
        }, ct).ConfigureAwait(false);
        await SendAsync(response, "ping", new JsonObject { ["type"] = "ping" }, ct).ConfigureAwait(false);

        for (var index = 0; index < blocks.Count; index++)
        {
            var block = blocks[index];
            await SendAsync(response, "content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = index,
                ["content_block"] = block.ToStart(),
            }, ct).ConfigureAwait(false);
            foreach (var delta in block.Deltas())
            {
                await SendAsync(response, "content_block_delta", new JsonObject
                {
                    ["type"] = "content_block_delta",
                    ["index"] = index,
                    ["delta"] = delta,
                }, ct).ConfigureAwait(false);
            }
            await SendAsync(response, "content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = index }, ct).ConfigureAwait(false);
        }

        await SendAsync(response, "message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = stopReason, ["stop_sequence"] = null },
            ["usage"] = Usage.ToJson(Usage.OutputTokens),
        }, ct).ConfigureAwait(false);
        await SendAsync(response, "message_stop", new JsonObject { ["type"] = "message_stop" }, ct).ConfigureAwait(false);
    }

    private static async Task SendAsync(HttpResponse response, string eventName, JsonObject data, CancellationToken ct)
    {
        var frame = $"event: {eventName}\ndata: {data.ToJsonString()}\n\n";
        await response.WriteAsync(frame, ct).ConfigureAwait(false);
        await response.Body.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static JsonObject ErrorBody(string type, string message) => new()
    {
        ["type"] = "error",
        ["error"] = new JsonObject { ["type"] = type, ["message"] = message },
    };

    private abstract record Block
    {
        public abstract JsonObject ToStart();

        public abstract IEnumerable<JsonObject> Deltas();

        public abstract JsonObject ToContent();
    }

    private sealed record TextBlock(string Text) : Block
    {
        public override JsonObject ToStart() => new() { ["type"] = "text", ["text"] = "" };

        // The real API streams a text in many small deltas; split on line boundaries in groups.
        public override IEnumerable<JsonObject> Deltas() =>
            Chunk(Text, 64).Select(part => new JsonObject { ["type"] = "text_delta", ["text"] = part });

        public override JsonObject ToContent() => new() { ["type"] = "text", ["text"] = Text };
    }

    private sealed record ToolBlock(string Id, string Name, JsonObject Input) : Block
    {
        public override JsonObject ToStart() => new() { ["type"] = "tool_use", ["id"] = Id, ["name"] = Name, ["input"] = new JsonObject() };

        public override IEnumerable<JsonObject> Deltas() =>
            Chunk(Input.ToJsonString(), 32).Select(part => new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = part });

        public override JsonObject ToContent() => new() { ["type"] = "tool_use", ["id"] = Id, ["name"] = Name, ["input"] = Input.DeepClone() };
    }

    private static IEnumerable<string> Chunk(string text, int size)
    {
        if (text.Length == 0)
        {
            yield return "";
            yield break;
        }
        for (var i = 0; i < text.Length; i += size)
        {
            yield return text.Substring(i, Math.Min(size, text.Length - i));
        }
    }
}
