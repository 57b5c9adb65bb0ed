using System.Text.Json.Nodes;

namespace AgentMesh.FakeModel;

/// <summary>
/// One scripted answer of the fake model: each <c>POST /v1/messages</c> consumes the next turn of the
/// script. The factory methods cover what the agent runner's tests need.
/// </summary>
public abstract record ModelTurn
{
    /// <summary>Streams <paramref name="text"/> as one text block and ends the turn.</summary>
    public static ModelTurn Text(string text) => new TextTurn(text);

    /// <summary>Asks the CLI to run a tool (<c>Write</c>, <c>Bash</c> …) with the given JSON input.</summary>
    public static ModelTurn ToolUse(string name, JsonObject input) => new ToolUseTurn(name, input);

    /// <summary>Claude Code's Write tool: create <paramref name="filePath"/> (absolute) with <paramref name="content"/>.</summary>
    public static ModelTurn WriteFile(string filePath, string content) =>
        ToolUse("Write", new JsonObject { ["file_path"] = filePath, ["content"] = content });

    /// <summary>Claude Code's Bash tool.</summary>
    public static ModelTurn Bash(string command) =>
        ToolUse("Bash", new JsonObject { ["command"] = command, ["description"] = "scripted command" });

    /// <summary>Ends with the AgentMesh needs_clarification block asking <paramref name="questions"/>.</summary>
    public static ModelTurn AskClarification(params string[] questions) =>
        Text("I need to know more before I change anything.\n\n```json\n" +
             new JsonObject { ["agentmesh"] = "needs_clarification", ["questions"] = new JsonArray([.. questions.Select(q => JsonValue.Create(q))]) }.ToJsonString() +
             "\n```");

    /// <summary>Ends with the AgentMesh pr_ready block.</summary>
    public static ModelTurn PrReady(string summary) =>
        Text("Done.\n\n```json\n" + new JsonObject { ["agentmesh"] = "pr_ready", ["summary"] = summary }.ToJsonString() + "\n```");

    /// <summary><paramref name="count"/> lines "line 1" … "line N", streamed in many small deltas.</summary>
    public static ModelTurn Lines(int count) => new LinesTurn(count);

    /// <summary>HTTP 529 with the API's overloaded_error body. Sticky: every later request gets it too.</summary>
    public static ModelTurn Overloaded() => new OverloadedTurn();

    /// <summary>
    /// Holds the response open until <see cref="FakeModelServer.ReleaseStalls"/> (then streams
    /// <paramref name="thenText"/>) or until the client goes away.
    /// </summary>
    public static ModelTurn Stall(string thenText = "Released.") => new StallTurn(thenText);
}

public sealed record TextTurn(string Value) : ModelTurn;

public sealed record ToolUseTurn(string Name, JsonObject Input) : ModelTurn;

public sealed record LinesTurn(int Count) : ModelTurn;

public sealed record OverloadedTurn : ModelTurn;

public sealed record StallTurn(string ThenText) : ModelTurn;
