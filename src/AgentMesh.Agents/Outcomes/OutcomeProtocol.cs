namespace AgentMesh.Agents.Outcomes;

/// <summary>The words the prompt ends with, asking the agent to say how its work ended (docs/agents.md).</summary>
public static class OutcomeProtocol
{
    /// <summary>The marker key of an outcome block.</summary>
    public const string Key = "agentmesh";

    /// <summary>Appended to every prompt.</summary>
    public const string Instructions = """


        ---
        When you have finished, end your last message with exactly one fenced JSON block saying how it ended:

        ```json
        {"agentmesh":"pr_ready","summary":"<one paragraph: what you changed and why>"}
        ```

        or, when you cannot go on without an answer from a person:

        ```json
        {"agentmesh":"needs_clarification","questions":["<question 1>","<question 2>"]}
        ```

        Commit your changes in the working directory; do not push.
        """;
}
