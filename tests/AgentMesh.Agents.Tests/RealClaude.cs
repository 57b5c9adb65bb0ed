using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.FakeModel;
using AgentMesh.Testing;
using Microsoft.Extensions.Options;
using Xunit;

namespace AgentMesh.Agents.Tests;

/// <summary>Real-CLI tests share one collection so at most one Claude Code process starts at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RealClaudeCollection
{
    public const string Name = "real Claude Code CLI";
}

/// <summary>Locates the real Claude Code CLI that build.sh installs, and builds runners pointed at a fake model.</summary>
internal static class RealClaude
{
    public static string CliPath
    {
        get
        {
            var package = RepoPaths.RequireNpmPackage("@anthropic-ai/claude-code");
            var native = Path.Combine(package, "bin", "claude.exe");
            if (File.Exists(native))
            {
                return native;
            }
            var shim = Path.Combine(RepoPaths.NodeModules, ".bin", "claude");
            return File.Exists(shim) ? shim : throw new InvalidOperationException(
                $"Claude Code is installed at {package} but has no binary; run `node {package}/install.cjs` (./build.sh test does).");
        }
    }

    public static AgentProfile Profile(FakeModelServer model, TimeSpan? timeout = null, string? fallback = null)
    {
        var profile = new AgentProfile
        {
            Cli = AgentCli.Claude,
            Command = CliPath,
            Model = "claude-fake-1",
            Timeout = timeout ?? TimeSpan.FromMinutes(2),
            Fallback = fallback,
        };
        profile.Environment["ANTHROPIC_BASE_URL"] = model.BaseUrl.ToString().TrimEnd('/');
        profile.Secrets.Add("ANTHROPIC_API_KEY");
        // A provider error should fail fast in tests instead of being retried with backoff.
        profile.Environment["CLAUDE_CODE_MAX_RETRIES"] = "0";
        profile.AllowedTools.Add("Write");
        profile.AllowedTools.Add("Bash");
        return profile;
    }

    public static AgentRunner Runner(TimeProvider? time = null, params (string Name, AgentProfile Profile)[] profiles)
    {
        var options = new AgentRunnerOptions { DefaultProfile = profiles[0].Name, GracePeriod = TimeSpan.FromSeconds(5) };
        foreach (var (name, profile) in profiles)
        {
            options.Profiles[name] = profile;
        }
        var secrets = new DictionaryNodeSecrets(new Dictionary<string, string> { ["ANTHROPIC_API_KEY"] = "sk-ant-test-key" });
        return new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), secrets, time ?? TimeProvider.System);
    }
}

/// <summary>An options monitor that always answers the same value.</summary>
internal sealed class StaticOptionsMonitor<T>(T value) : IOptionsMonitor<T>
{
    public T CurrentValue => value;

    public T Get(string? name) => value;

    public IDisposable? OnChange(Action<T, string?> listener) => null;
}
