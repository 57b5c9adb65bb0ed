using System.Collections.Concurrent;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// One long-lived thread that performs every fork/exec of an agent. Linux delivers a child's
/// parent-death signal (PR_SET_PDEATHSIG, which <c>bwrap --die-with-parent</c> sets) when the THREAD that
/// forked it exits, not the process. A thread-pool thread that started an agent may retire minutes later and
/// would take a sandboxed agent down with it; this thread lives as long as the node, so the signal fires
/// only when the node itself dies.
/// </summary>
internal static class LauncherThread
{
    private static readonly BlockingCollection<Action> Work = [];

    static LauncherThread()
    {
        var thread = new Thread(() =>
        {
            foreach (var action in Work.GetConsumingEnumerable())
            {
                action();
            }
        })
        {
            IsBackground = true,
            Name = "AgentMesh agent launcher",
        };
        thread.Start();
    }

    /// <summary>Runs <paramref name="start"/> on the launcher thread and returns its result (or rethrows its exception).</summary>
    public static T Run<T>(Func<T> start)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try
            {
                done.SetResult(start());
            }
#pragma warning disable CA1031 // every failure is handed back to the caller
            catch (Exception error)
#pragma warning restore CA1031
            {
                done.SetException(error);
            }
        });
        return done.Task.GetAwaiter().GetResult();
    }
}
