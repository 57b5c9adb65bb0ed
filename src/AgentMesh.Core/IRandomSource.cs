namespace AgentMesh.Core;

/// <summary>
/// Source of randomness for decisions that jitter (retry backoff). The state machines take it as a parameter
/// so that a test can pass a fixed sequence and assert exact delays.
/// </summary>
public interface IRandomSource
{
    /// <summary>Returns a number in the half-open range [0, 1).</summary>
    double NextDouble();
}
