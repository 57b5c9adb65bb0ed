using AgentMesh.Testing;

namespace AgentMesh.Server.Tests.Cli;

/// <summary>Runs the real <c>agentmesh</c> program to completion and keeps what it printed.</summary>
internal sealed record CliRun(int ExitCode, string Stdout, string Stderr)
{
    public static async Task<CliRun> RunAsync(string? token, params string[] args)
    {
        using var workDir = new TempDirectory("agentmesh-cli");
        // The token travels in the environment only; an empty value means "not set".
        var environment = new Dictionary<string, string> { ["AGENTMESH_ADMIN_TOKEN"] = token ?? string.Empty, ["AGENTMESH_SERVER"] = string.Empty };
        await using var process = AgentMeshProgram.Start(workDir.Path, environment, args);
        var exitCode = await process.WaitForExitAsync();
        return new CliRun(exitCode, process.Stdout, process.Stderr);
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}
