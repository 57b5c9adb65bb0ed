namespace AgentMesh.FakeGitHub;

/// <summary>A request the fake holds unanswered: tests await <see cref="Arrived"/>, then <see cref="Release"/> it.</summary>
public sealed class FakeHold
{
    private readonly TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the held request reaches the fake.</summary>
    public Task Arrived => _arrived.Task;

    internal Task Released => _released.Task;

    public void Release() => _released.TrySetResult();

    internal void MarkArrived() => _arrived.TrySetResult();
}
