using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Agents.Workspaces;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class RegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddAgentMeshAgents(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void Profiles_bind_from_configuration_and_the_runner_resolves()
    {
        using var provider = Build(new()
        {
            ["Agents:DefaultProfile"] = "claude",
            ["Agents:Profiles:claude:Cli"] = "Claude",
            ["Agents:Profiles:claude:Model"] = "claude-sonnet-4-5",
            ["Agents:Profiles:claude:Timeout"] = "00:30:00",
            ["Agents:Profiles:claude:AllowedTools:0"] = "Write",
            ["Agents:Profiles:claude:Secrets:0"] = "ANTHROPIC_API_KEY",
            ["Agents:Profiles:claude:Environment:ANTHROPIC_BASE_URL"] = "https://proxy.example",
            ["Agents:Profiles:claude:Fallback"] = "codex",
            ["Agents:Profiles:codex:Cli"] = "Codex",
            ["Workspaces:Root"] = "/var/lib/agentmesh/workspaces",
            ["Secrets:ANTHROPIC_API_KEY"] = "sk-ant-from-config",
        });

        var options = provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value;
        var claude = options.Profiles["claude"];
        claude.Model.ShouldBe("claude-sonnet-4-5");
        claude.Timeout.ShouldBe(TimeSpan.FromMinutes(30));
        claude.AllowedTools.ShouldBe(["Write"]);
        claude.Environment["ANTHROPIC_BASE_URL"].ShouldBe("https://proxy.example");
        claude.Fallback.ShouldBe("codex");
        options.Profiles["codex"].Cli.ShouldBe(AgentCli.Codex);
        provider.GetRequiredService<INodeSecrets>().Find("ANTHROPIC_API_KEY").ShouldBe("sk-ant-from-config");
        provider.GetRequiredService<AgentRunner>().ShouldNotBeNull();
        provider.GetRequiredService<WorkspaceManager>().ShouldNotBeNull();
    }

    [Fact]
    public void Invalid_configuration_fails_with_the_validators_message()
    {
        using var provider = Build(new()
        {
            ["Agents:DefaultProfile"] = "a",
            ["Agents:Profiles:a:Cli"] = "Command",
        });
        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IOptions<AgentRunnerOptions>>().Value)
            .Failures.ShouldBe(["Agents:Profiles:a:Command is required when Cli is Command."]);
    }
}
