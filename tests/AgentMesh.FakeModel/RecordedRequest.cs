using System.Text.Json.Nodes;

namespace AgentMesh.FakeModel;

/// <summary>A request the fake model server received, kept for assertions.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string Body, IReadOnlyDictionary<string, string> Headers)
{
    /// <summary>The body parsed as JSON, or null when it is empty or not JSON.</summary>
    public JsonNode? Json
    {
        get
        {
            try
            {
                return string.IsNullOrEmpty(Body) ? null : JsonNode.Parse(Body);
            }
            catch (System.Text.Json.JsonException)
            {
                return null;
            }
        }
    }

    /// <summary>True for a message-creating call (<c>POST /v1/messages</c>, not count_tokens).</summary>
    public bool IsMessages => Method == "POST" && PathAndQuery.Split('?')[0] == "/v1/messages";

    /// <summary>
    /// Every text the user side of the conversation holds (user messages' text blocks and tool results),
    /// so a test can ask "did the model see the person's message?".
    /// </summary>
    public IReadOnlyList<string> UserTexts()
    {
        var texts = new List<string>();
        if (Json?["messages"] is not JsonArray messages)
        {
            return texts;
        }
        foreach (var message in messages.OfType<JsonObject>().Where(m => (string?)m["role"] == "user"))
        {
            Collect(message["content"], texts);
        }
        return texts;
    }

    private static void Collect(JsonNode? content, List<string> into)
    {
        switch (content)
        {
            case JsonValue value when value.TryGetValue<string>(out var s):
                into.Add(s);
                break;
            case JsonArray blocks:
                foreach (var block in blocks.OfType<JsonObject>())
                {
                    if (block["text"] is JsonValue text && text.TryGetValue<string>(out var t))
                    {
                        into.Add(t);
                    }
                    if ((string?)block["type"] == "tool_result")
                    {
                        Collect(block["content"], into);
                    }
                }
                break;
            default:
                break;
        }
    }
}
