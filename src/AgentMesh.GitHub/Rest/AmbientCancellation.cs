namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Carries the caller's <see cref="CancellationToken"/> past Octokit, whose clients take none, to our
/// handlers under it (<see cref="Http.AmbientCancellationHandler"/>): a cancelled job stops waiting for a
/// rate-limit reset, a retry delay or a slow answer instead of holding a concurrency slot for an hour.
/// </summary>
public static class AmbientCancellation
{
    private static readonly AsyncLocal<CancellationToken> Current = new();

    /// <summary>The token of the innermost <see cref="RunAsync{T}"/> on this flow, or none.</summary>
    public static CancellationToken Token => Current.Value;

    /// <summary>Runs an Octokit call with <paramref name="cancellationToken"/> flowing to the HTTP pipeline.</summary>
    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        cancellationToken.ThrowIfCancellationRequested();
        var outer = Current.Value;
        Current.Value = cancellationToken;
        try
        {
            return await call().WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Current.Value = outer;
        }
    }

    /// <inheritdoc cref="RunAsync{T}"/>
    public static Task RunAsync(Func<Task> call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        return RunAsync(async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }
}
