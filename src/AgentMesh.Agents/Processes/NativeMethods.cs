using System.Runtime.InteropServices;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// libc's kill(2): .NET can signal one process (Process.Kill) but not a process group, and an agent's
/// tool calls run as children that must die with it.
/// </summary>
internal static partial class NativeMethods
{
    private const int NoSuchProcess = 3; // ESRCH

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "getpgid", SetLastError = true)]
    private static partial int GetProcessGroup(int pid);

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

    /// <summary>The process group of <paramref name="pid"/>, or -1 when it is gone.</summary>
    public static int ProcessGroupOf(int pid) => GetProcessGroup(pid);
}
