using System.Diagnostics;

namespace AgentMesh.Agents.Workspaces;

/// <summary>
/// Runs git with an argv list and a clean environment (no node secrets, no prompts), returning its output.
/// Credentials, when needed, come in through <see cref="GitCredentials"/> variables only.
/// </summary>
public sealed class Git(string gitPath = "git")
{
    public async Task<string> RunAsync(string workingDirectory, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null, CancellationToken cancellationToken = default)
    {
        var psi = new ProcessStartInfo(gitPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            psi.ArgumentList.Add(argument);
        }
        psi.Environment.Clear();
        psi.Environment["PATH"] = System.Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        psi.Environment["HOME"] = System.Environment.GetEnvironmentVariable("HOME") ?? "/tmp";
        psi.Environment["LANG"] = "C";
        // Never wait for a password on a terminal nobody watches.
        psi.Environment["GIT_TERMINAL_PROMPT"] = "0";
        psi.Environment["GIT_ASKPASS"] = "/bin/false";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }
        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {gitPath}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var output = await stdout.ConfigureAwait(false);
        var error = await stderr.ConfigureAwait(false);
        return process.ExitCode == 0 ? output : throw new GitCommandException(arguments, process.ExitCode, error);
    }

    /// <summary>Runs git and reports only whether it exited with 0 (for checks like rev-parse --verify).</summary>
    public async Task<bool> SucceedsAsync(string workingDirectory, IReadOnlyList<string> arguments, CancellationToken cancellationToken = default)
    {
        try
        {
            await RunAsync(workingDirectory, arguments, null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (GitCommandException)
        {
            return false;
        }
    }
}
