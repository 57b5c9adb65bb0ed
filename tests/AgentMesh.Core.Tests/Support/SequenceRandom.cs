using AgentMesh.Core;

namespace AgentMesh.Core.Tests.Support;

/// <summary>An <see cref="IRandomSource"/> that returns the given values in turn, repeating the last one.</summary>
internal sealed class SequenceRandom(params double[] values) : IRandomSource
{
    private int _next;

    public static SequenceRandom Always(double value) => new(value);

    public double NextDouble()
    {
        var value = values[Math.Min(_next, values.Length - 1)];
        _next++;
        return value;
    }
}
