namespace AgentMesh.Cli;

/// <summary>What <c>agentmesh run</c> exits with, so a script can tell the outcomes apart.</summary>
public static class RunExitCodes
{
    /// <summary>A pull request was opened, or the agent asked questions on the issue.</summary>
    public const int Done = 0;

    /// <summary>The job failed, or there was nothing to run (closed issue, job held elsewhere, already done).</summary>
    public const int NotDone = 1;

    /// <summary>A malformed issue URL or a configuration problem: nothing was touched.</summary>
    public const int Usage = 2;

    /// <summary>Ctrl+C: the agent was stopped and the job handed back (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}
