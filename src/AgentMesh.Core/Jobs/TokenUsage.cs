namespace AgentMesh.Core.Jobs;

/// <summary>Token counts as the model provider reports them. All counts are non-negative.</summary>
public sealed record TokenUsage(long Input, long Output, long CacheRead, long CacheWrite)
{
    /// <summary>No tokens.</summary>
    public static TokenUsage Zero { get; } = new(0, 0, 0, 0);

    /// <summary>All four counts together, as budgets count them.</summary>
    public long Total => checked(Input + Output + CacheRead + CacheWrite);

    /// <summary>True when every count is zero.</summary>
    public bool IsZero => Input == 0 && Output == 0 && CacheRead == 0 && CacheWrite == 0;

    /// <summary>Component-wise sum; overflow throws rather than wrapping to a negative total.</summary>
    public TokenUsage Add(TokenUsage other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new(
            checked(Input + other.Input),
            checked(Output + other.Output),
            checked(CacheRead + other.CacheRead),
            checked(CacheWrite + other.CacheWrite));
    }

    /// <summary>The name of the first negative count, or null when none is negative.</summary>
    public string? FirstNegative() =>
        Input < 0 ? nameof(Input)
        : Output < 0 ? nameof(Output)
        : CacheRead < 0 ? nameof(CacheRead)
        : CacheWrite < 0 ? nameof(CacheWrite)
        : null;
}
