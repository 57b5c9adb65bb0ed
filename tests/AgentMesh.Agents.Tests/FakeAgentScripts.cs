using AgentMesh.Testing;

namespace AgentMesh.Agents.Tests;

/// <summary>Writes small shell scripts that stand in for agent CLIs (the script is the agent; nothing here runs through a shell).</summary>
internal static class FakeAgentScripts
{
    /// <summary>Writes an executable /bin/sh script named <paramref name="name"/> into <paramref name="directory"/>.</summary>
    public static string Write(string directory, string name, string body)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r\n", "\n", StringComparison.Ordinal) + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return path;
    }

    public static string Write(TempDirectory temp, string name, string body) => Write(temp.Combine("bin"), name, body);
}
