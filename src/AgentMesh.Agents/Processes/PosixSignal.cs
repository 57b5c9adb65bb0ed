namespace AgentMesh.Agents.Processes;

/// <summary>The Linux signal numbers the supervisor sends (x86-64 and arm64 agree on these).</summary>
public static class PosixSignal
{
    public const int Interrupt = 2;   // SIGINT
    public const int Kill = 9;        // SIGKILL
    public const int Terminate = 15;  // SIGTERM
}
