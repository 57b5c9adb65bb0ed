using System.Diagnostics;

namespace AgentMesh.Testing;

/// <summary>
/// Waits on a condition by polling with a deadline. Tests never sleep for a fixed time: they wait
/// for what they need, and a timeout names what was awaited.
/// </summary>
public static class Eventually
{
    /// <summary>The default deadline: generous, because CI is a loaded 2-core machine.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, TimeSpan? pollEvery = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? DefaultTimeout;
        var interval = pollEvery ?? TimeSpan.FromMilliseconds(20);
        while (true)
        {
            if (await condition())
            {
                return;
            }
            if (deadline.Elapsed > limit)
            {
                throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
            }
            await Task.Delay(interval);
        }
    }

    public static Task UntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null, TimeSpan? pollEvery = null) =>
        UntilAsync(() => Task.FromResult(condition()), what, timeout, pollEvery);

    /// <summary>Polls <paramref name="read"/> until it returns a non-null value, and returns it.</summary>
    public static async Task<T> ValueAsync<T>(Func<Task<T?>> read, string what, TimeSpan? timeout = null)
        where T : class
    {
        T? value = null;
        await UntilAsync(async () => (value = await read()) is not null, what, timeout);
        return value!;
    }

    /// <summary>Awaits a task with a deadline that names what was awaited.</summary>
    public static async Task<T> WithinAsync<T>(Task<T> task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        if (finished != task)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
        }
        return await task;
    }

    public static async Task WithinAsync(Task task, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? DefaultTimeout;
        var finished = await Task.WhenAny(task, Task.Delay(limit));
        if (finished != task)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
        }
        await task;
    }
}
