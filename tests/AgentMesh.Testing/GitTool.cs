using System.Diagnostics;

namespace AgentMesh.Testing;

/// <summary>Runs the real git for tests and benchmarks: argument lists, never a shell.</summary>
public static class GitTool
{
    /// <summary>Runs git and returns its standard output; a failure throws with git's own message.</summary>
    public static string Run(string workingDirectory, params string[] args)
    {
        var startInfo = new ProcessStartInfo("git")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }
        using var process = Process.Start(startInfo)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"git {string.Join(' ', args)} failed: {error.Result}");
        }
        return output;
    }

    /// <summary>Pushes one initial commit (a README on <c>main</c>) into an empty bare repository.</summary>
    public static void SeedRepository(string bareRepository, string workDirectory)
    {
        Directory.CreateDirectory(workDirectory);
        Run(workDirectory, "init", "--quiet", "--initial-branch=main");
        File.WriteAllText(Path.Combine(workDirectory, "README.md"), "# widgets\n");
        Run(workDirectory, "add", "README.md");
        Run(workDirectory, "-c", "user.name=Octo", "-c", "user.email=octo@example.com", "commit", "--quiet", "-m", "Initial commit");
        Run(workDirectory, "push", "--quiet", bareRepository, "main");
    }
}
