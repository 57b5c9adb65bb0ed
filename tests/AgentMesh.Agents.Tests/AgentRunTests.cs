using AgentMesh.Agents.Events;
using AgentMesh.Agents.Processes;
using AgentMesh.Agents.Profiles;
using AgentMesh.Agents.Running;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class AgentRunTests : IDisposable
{
    private readonly TempDirectory _temp = new("agentmesh-run");

    public void Dispose() => _temp.Dispose();

    private AgentRunner Runner(params (string Name, AgentProfile Profile)[] profiles)
    {
        var options = new AgentRunnerOptions { DefaultProfile = profiles[0].Name, RunsDirectory = _temp.Combine("runs"), GracePeriod = TimeSpan.FromSeconds(5) };
        foreach (var (name, profile) in profiles)
        {
            options.Profiles[name] = profile;
        }
        return new AgentRunner(new StaticOptionsMonitor<AgentRunnerOptions>(options), DictionaryNodeSecrets.Empty, TimeProvider.System);
    }

    private AgentProfile Command(string name, string body) =>
        new() { Cli = AgentCli.Command, Command = FakeAgentScripts.Write(_temp, name, body) };

    private static async Task WaitForTextAsync(AgentRun run, string text)
    {
        async Task Read()
        {
            while (await run.Events.WaitToReadAsync())
            {
                while (run.Events.TryRead(out var e))
                {
                    if (e is AssistantText t && t.Text == text)
                    {
                        return;
                    }
                }
            }
            throw new InvalidOperationException($"The run ended before the agent said '{text}'.");
        }
        await Eventually.WithinAsync(Read(), $"the agent to say '{text}'");
    }

    [Fact]
    public async Task Stop_ends_the_run_as_stopped()
    {
        await using var run = Runner(("a", Command("long", "echo started; sleep 300"))).Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Path });
        await WaitForTextAsync(run, "started");

        var result = await run.StopAsync();

        result.Exit.Kind.ShouldBe(ProcessExitKind.Stopped);
        result.Succeeded.ShouldBeFalse();
    }

    [Fact]
    public async Task Interrupting_a_cli_without_stdin_control_sends_it_SIGINT()
    {
        await using var run = Runner(("a", Command("int", "trap 'echo interrupted; exit 0' INT; echo started; while :; do sleep 1; done")))
            .Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Path });
        await WaitForTextAsync(run, "started");
        (await run.SendMessageAsync("hello")).ShouldBeFalse("a plain command cannot take chat messages");

        (await run.InterruptAsync()).ShouldBeTrue();

        var result = await Eventually.WithinAsync(run.Completion, "the interrupted agent to finish");
        result.FinalText.ShouldBe("started\ninterrupted\n");
        result.Exit.Kind.ShouldBe(ProcessExitKind.Success);
    }

    [Fact]
    public async Task A_fallback_that_cannot_start_fails_the_run_and_completes_its_event_stream()
    {
        var primary = Command("busy", "echo 'Error: 429 Too Many Requests'; exit 1");
        primary.Fallback = "needs-secret";
        var fallback = Command("unused", "echo never");
        fallback.Secrets.Add("ABSENT_KEY");
        await using var run = Runner(("primary", primary), ("needs-secret", fallback)).Start(new AgentRunRequest { Prompt = "p", WorkingDirectory = _temp.Path });

        var error = await Should.ThrowAsync<InvalidOperationException>(Eventually.WithinAsync(run.Completion, "the run to fail"));
        error.Message.ShouldBe("Profile 'needs-secret' asks for the node secret 'ABSENT_KEY', which this node does not have.");
        // A reader draining the events gets to the end, and the end carries the failure.
        async Task<List<AgentEvent>> Drain()
        {
            var seen = new List<AgentEvent>();
            await foreach (var e in run.Events.ReadAllAsync())
            {
                seen.Add(e);
            }
            return seen;
        }
        await Should.ThrowAsync<InvalidOperationException>(Eventually.WithinAsync(Drain(), "the event stream to complete"));
    }
}
