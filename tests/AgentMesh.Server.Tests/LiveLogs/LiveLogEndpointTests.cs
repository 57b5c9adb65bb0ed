using System.Text.Json;
using AgentMesh.Server.LiveLogs;
using AgentMesh.Storage.Abstractions;
using AgentMesh.Server.Tests.Api;
using AgentMesh.Server.Worker;
using AgentMesh.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace AgentMesh.Server.Tests.LiveLogs;

/// <summary><c>/api/jobs/{id}/logs/live</c>: stored lines first, then live ones from the job's Orleans stream, each once and in order.</summary>
[Collection(AdminApiCollection.Name)]
public sealed class LiveLogEndpointTests(SharedAdminApiNode shared)
{
    private readonly AdminApiNode _node = shared.Node;

    [Fact]
    public async Task A_reader_gets_the_stored_lines_then_each_new_line_once_in_order()
    {
        // The shared node holds other tests' queued jobs: the highest priority makes the claim take this one.
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 1, priority: 1_000_000);
        var claim = (await _node.Store.Jobs.TryClaimAsync(job.Id, "live-worker/1", job.Repo, repoLimit: 1)).Claimed!;
        claim.Job.Id.ShouldBe(job.Id);
        // The node's store publishes each stored batch on the job's live stream.
        await using var writer = new JobLogWriter(_node.Store.Logs, claim.Lease, new WorkerOptions());
        writer.Write("system", "stored before the reader came");
        await writer.FlushAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{job.Id}/logs/live");
        using var response = await _node.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/event-stream");
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new List<(long Sequence, string Text)>();
        await ReadLinesAsync(reader, received, 1, "the stored line");
        for (var i = 1; i <= 5; i++)
        {
            writer.Write("agent", $"live line {i}");
            await writer.FlushAsync();
        }
        await ReadLinesAsync(reader, received, 6, "the five live lines");

        received.Select(r => r.Sequence).ShouldBe([1, 2, 3, 4, 5, 6], "each line once, in order, without a gap");
        received.Select(r => r.Text).ShouldBe(["stored before the reader came", "live line 1", "live line 2", "live line 3", "live line 4", "live line 5"]);
    }

    [Fact]
    public async Task The_stream_sends_the_rest_of_the_log_and_the_final_state_when_the_job_ends_then_closes()
    {
        var job = await _node.CreateJobAsync(AdminApiNode.NewRepo(), 2);
        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("system", "before the reader")]);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/jobs/{job.Id}/logs/live");
        using var response = await _node.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var received = new List<(long Sequence, string Text)>();
        await ReadLinesAsync(reader, received, 1, "the stored line");

        await _node.Store.Logs.AppendAsync(job.Id, [new NewLogLine("system", "the last line")]);
        await _node.Jobs.SendAsync(job.Id, new AgentMesh.Core.Jobs.Commands.Stop("tester"));

        await ReadLinesAsync(reader, received, 2, "the last line");
        received.Select(r => r.Text).ShouldBe(["before the reader", "the last line"]);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var rest = await reader.ReadToEndAsync(deadline.Token);
        rest.ShouldContain("event: end\ndata: {\"state\":\"stopped\"}", Case.Sensitive, "the stream says how the job ended, then closes");
    }

    [Fact]
    public async Task An_unknown_job_is_answered_404()
    {
        using var response = await _node.Client.GetAsync(new Uri("/api/jobs/no-such-job/logs/live", UriKind.Relative));

        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
    }

    private static async Task ReadLinesAsync(StreamReader reader, List<(long, string)> received, int count, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (received.Count < count)
            {
                var line = await reader.ReadLineAsync(deadline.Token);
                if (line is null)
                {
                    throw new InvalidOperationException($"The event stream ended before {what} arrived.");
                }
                if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    using var data = JsonDocument.Parse(line["data: ".Length..]);
                    received.Add((data.RootElement.GetProperty("sequence").GetInt64(), data.RootElement.GetProperty("text").GetString()!));
                }
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"Timed out after 30 s waiting for {what} (received so far: {string.Join(", ", received)}).");
        }
    }
}
