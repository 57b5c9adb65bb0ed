using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentMesh.FakeModel;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class FakeModelServerTests
{
    private static readonly HttpClient Http = new();

    private static Task<HttpResponseMessage> PostAsync(FakeModelServer server, bool stream, string path = "/v1/messages?beta=true") =>
        Http.PostAsJsonAsync(new Uri(server.BaseUrl, path), new JsonObject
        {
            ["model"] = "claude-test",
            ["stream"] = stream,
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "hello there" }),
        });

    private static List<(string Event, JsonNode Data)> ParseSse(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(frame =>
        {
            var lines = frame.Split('\n');
            return (lines[0]["event: ".Length..], JsonNode.Parse(lines[1]["data: ".Length..])!);
        })];

    [Fact]
    public async Task A_streamed_tool_use_follows_the_messages_api_event_sequence()
    {
        await using var server = await FakeModelServer.StartAsync(ModelTurn.WriteFile("/w/a.txt", "hi"));
        using var response = await PostAsync(server, stream: true);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        var events = ParseSse(await response.Content.ReadAsStringAsync());
        var names = events.Select(e => e.Event).Distinct().ToList();
        names.ShouldBe(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"]);
        events.ShouldAllBe(e => (string?)e.Data["type"] == e.Event);
        events[0].Data["message"]!["usage"]!["input_tokens"]!.GetValue<int>().ShouldBe(100);
        events[2].Data["content_block"]!["type"]!.GetValue<string>().ShouldBe("tool_use");
        events[2].Data["content_block"]!["name"]!.GetValue<string>().ShouldBe("Write");
        var json = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e => (string)e.Data["delta"]!["partial_json"]!));
        JsonNode.Parse(json)!.ToJsonString().ShouldBe("{\"file_path\":\"/w/a.txt\",\"content\":\"hi\"}");
        var delta = events.Single(e => e.Event == "message_delta").Data;
        ((string?)delta["delta"]!["stop_reason"]).ShouldBe("tool_use");
        delta["usage"]!["output_tokens"]!.GetValue<int>().ShouldBe(20);
        server.SawUserText("hello there").ShouldBeTrue();
    }

    [Fact]
    public async Task A_non_streamed_request_gets_one_json_message()
    {
        await using var server = await FakeModelServer.StartAsync(ModelTurn.Text("plain answer"));
        using var response = await PostAsync(server, stream: false);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        ((string?)message["type"]).ShouldBe("message");
        ((string?)message["content"]![0]!["text"]).ShouldBe("plain answer");
        ((string?)message["stop_reason"]).ShouldBe("end_turn");
    }

    [Fact]
    public async Task Overloaded_is_a_sticky_529_and_count_tokens_is_answered_without_using_a_turn()
    {
        await using var server = await FakeModelServer.StartAsync(ModelTurn.Overloaded(), ModelTurn.Text("never reached"));
        using var count = await PostAsync(server, stream: false, "/v1/messages/count_tokens?beta=true");
        JsonNode.Parse(await count.Content.ReadAsStringAsync())!["input_tokens"]!.GetValue<int>().ShouldBe(100);

        for (var i = 0; i < 2; i++)
        {
            using var response = await PostAsync(server, stream: true);
            ((int)response.StatusCode).ShouldBe(529);
            (await response.Content.ReadAsStringAsync()).ShouldBe("{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}");
        }
        server.MessageRequests.Count.ShouldBe(2);
        server.Requests.Count.ShouldBe(3);
    }

    [Fact]
    public async Task A_stall_holds_the_response_until_released()
    {
        await using var server = await FakeModelServer.StartAsync(ModelTurn.Stall("after the stall"));
        var pending = PostAsync(server, stream: false);
        await AgentMesh.Testing.Eventually.UntilAsync(() => server.StalledCount == 1, "the request to be held");
        pending.IsCompleted.ShouldBeFalse();

        server.ReleaseStalls();

        using var response = await AgentMesh.Testing.Eventually.WithinAsync(pending, "the released response");
        ((string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["content"]![0]!["text"]).ShouldBe("after the stall");
    }
}
