namespace AgentMesh.Core;

/// <summary>The production <see cref="IRandomSource"/>: <see cref="Random.Shared"/> (thread-safe).</summary>
public sealed class SharedRandomSource : IRandomSource
{
    /// <summary>The single instance; the type holds no state of its own.</summary>
    public static SharedRandomSource Instance { get; } = new();

    private SharedRandomSource()
    {
    }

    /// <inheritdoc />
    // Jitter only spreads retries out; it is not a security boundary, so a non-cryptographic source is right.
#pragma warning disable CA5394
    public double NextDouble() => Random.Shared.NextDouble();
#pragma warning restore CA5394
}
