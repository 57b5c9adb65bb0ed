namespace AgentMesh.Agents.Events;

/// <summary>Token counts of a run: input, output, and prompt-cache reads and writes.</summary>
public sealed record AgentUsage(long InputTokens, long OutputTokens, long CacheReadTokens, long CacheWriteTokens)
{
    public static readonly AgentUsage Zero = new(0, 0, 0, 0);

    public static AgentUsage operator +(AgentUsage left, AgentUsage right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        return new(left.InputTokens + right.InputTokens, left.OutputTokens + right.OutputTokens,
            left.CacheReadTokens + right.CacheReadTokens, left.CacheWriteTokens + right.CacheWriteTokens);
    }

    public static AgentUsage Add(AgentUsage left, AgentUsage right) => left + right;
}
