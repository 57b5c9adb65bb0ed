using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace AgentMesh.Agents.Processes;

/// <summary>
/// What a standby launcher reads on stdin before it execs its agent (Launcher/agentmesh-launch.c): a 4-byte
/// little-endian length, then that many bytes of NUL-terminated strings: the working directory, the argument
/// count, the program and its arguments, the variable count, the variables as NAME=value. The length lets the
/// launcher read exactly the request, so the agent gets everything written to stdin after it.
/// </summary>
internal static class LaunchRequest
{
    public static byte[] Encode(AgentProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        List<string> strings = [info.WorkingDirectory, Count(1 + info.Arguments.Count), info.FileName, .. info.Arguments, Count(info.Environment.Count)];
        strings.AddRange(info.Environment.Select(variable => $"{variable.Key}={variable.Value}"));
        foreach (var text in strings)
        {
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException("An agent's program, arguments, environment and working directory cannot hold a NUL character.", nameof(info));
            }
        }
        var length = strings.Sum(text => Encoding.UTF8.GetByteCount(text) + 1);
        var request = new byte[sizeof(int) + length];
        BinaryPrimitives.WriteInt32LittleEndian(request, length);
        var offset = sizeof(int);
        foreach (var text in strings)
        {
            offset += Encoding.UTF8.GetBytes(text, request.AsSpan(offset));
            request[offset++] = 0;
        }
        return request;
    }

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);
}
