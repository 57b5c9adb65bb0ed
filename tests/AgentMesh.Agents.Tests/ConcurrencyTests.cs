using System.Collections.Concurrent;
using AgentMesh.Agents.Processes;
using AgentMesh.Testing;
using Shouldly;
using Xunit;

namespace AgentMesh.Agents.Tests;

public sealed class ConcurrencyTests : IDisposable
{
    private const int Agents = 200;
    private const int LinesEach = 100;
    private readonly TempDirectory _temp = new("agentmesh-200");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Two_hundred_agents_run_and_are_read_concurrently_without_starving_the_thread_pool()
    {
        // Each agent waits for a word on stdin, prints 100 lines with it, then stays alive until stdin closes.
        var script = FakeAgentScripts.Write(_temp, "chatty.sh",
            $"read go; i=0; while [ $i -lt {LinesEach} ]; do echo \"$go $i\"; i=$((i+1)); done; read end; echo bye");
        var processes = new List<AgentProcess>();
        var lines = Enumerable.Range(0, Agents).Select(_ => new ConcurrentQueue<string>()).ToArray();
        try
        {
            for (var i = 0; i < Agents; i++)
            {
                processes.Add(AgentProcess.Start(new AgentProcessStartInfo
                {
                    FileName = script,
                    WorkingDirectory = _temp.Path,
                    Environment = ProcessTestExtensions.BasicEnvironment(),
                }));
            }
            var readers = processes.Select(async (p, i) =>
            {
                await foreach (var line in p.Output.ReadAllAsync())
                {
                    lines[i].Enqueue(line.Text);
                }
            }).ToList();

            await Task.WhenAll(processes.Select((p, i) => p.WriteLineAsync($"agent{i}")));
            // All 200 are printing now. Work queued to the pool must still run: were the readers blocking
            // pool threads, it would wait behind 400 blocked pipe reads.
            await WorkItemRunsAsync("while 200 agents print");

            await Eventually.UntilAsync(() => lines.All(l => l.Count == LinesEach), "every agent's 100 lines to be read", TimeSpan.FromSeconds(90));
            processes.ShouldAllBe(p => !p.Exited.IsCompleted, "all 200 agents are alive at once (each waits for end of input)");
            await WorkItemRunsAsync("while 200 agents are alive");
            // No thread per pipe: 400 pipes are served by a pool of a few dozen threads at most.
            ThreadPool.ThreadCount.ShouldBeLessThan(100);

            await Task.WhenAll(processes.Select(p => p.CloseInputAsync()));
            var exits = await Eventually.WithinAsync(Task.WhenAll(processes.Select(p => p.Exited)), "all 200 agents to exit", TimeSpan.FromSeconds(60));
            await Task.WhenAll(readers);
            exits.ShouldAllBe(e => e.Kind == ProcessExitKind.Success);
            for (var i = 0; i < Agents; i++)
            {
                lines[i].ShouldBe([.. Enumerable.Range(0, LinesEach).Select(n => $"agent{i} {n}"), "bye"]);
            }
        }
        finally
        {
            await Task.WhenAll(processes.Select(p => p.DisposeAsync().AsTask()));
        }
    }

    private static async Task WorkItemRunsAsync(string when)
    {
        var ran = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        ThreadPool.QueueUserWorkItem(_ => ran.TrySetResult());
        await Eventually.WithinAsync(ran.Task, $"a thread-pool work item to run {when}");
    }
}
