using System.Runtime.InteropServices;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// libc's kill(2) on a process group: neither .NET (Process.Kill) nor CliWrap (SIGINT to one process, or a kill of
/// the process tree it can walk) can signal a group, and an agent's tool calls, including ones that detached from
/// the tree, must die with it. The only native call the agent supervisor makes.
/// </summary>
internal static partial class NativeMethods
{
    private const int NoSuchProcess = 3; // ESRCH

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    /// <summary>Sends <paramref name="signal"/> to every process in group <paramref name="processGroupId"/>.</summary>
    /// <returns>False when the group no longer has members.</returns>
    public static bool SignalGroup(int processGroupId, int signal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(processGroupId, 1);
        if (Kill(-processGroupId, signal) == 0)
        {
            return true;
        }
        var error = Marshal.GetLastPInvokeError();
        return error == NoSuchProcess
            ? false
            : throw new InvalidOperationException($"kill(-{processGroupId}, {signal}) failed with errno {error}.");
    }
}
