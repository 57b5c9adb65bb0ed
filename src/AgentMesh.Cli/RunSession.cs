using System.Globalization;
using AgentMesh.Core.Jobs;
using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Repos;
using AgentMesh.GitHub.Rest;
using AgentMesh.Server.Actors;
using AgentMesh.Server.Changes;
using AgentMesh.Server.Api.Jobs;
using AgentMesh.Server.GitHubAccess;
using AgentMesh.Grains.Abstractions.Jobs;
using AgentMesh.Grains.Abstractions.Repos;
using AgentMesh.Server.Worker;
using AgentMesh.Storage.Abstractions;
using Spectre.Console;

namespace AgentMesh.Cli;

/// <summary>
/// One <c>agentmesh run</c>: reads the issue, finds or creates its job (no admission: a person asked
/// for it explicitly), claims it like a worker slot would, runs it here in the foreground with the
/// node's own <see cref="JobExecution"/>, and performs the GitHub side effects it committed before
/// returning. A transient failure is retried here after its backoff, as a worker would, until the job
/// opens a pull request, asks a question, or fails. Ctrl+C hands the claim back.
/// </summary>
public sealed class RunSession(
    IAgentMeshStore store,
    JobChangeFeed changes,
    JobActor jobs,
    RepoActor repos,
    GitHubClientProvider github,
    JobExecution execution,
    IGrainFactory grains,
    RunClaimer claimer,
    string nodeId,
    TimeProvider timeProvider,
    RunConsole console)
{
    /// <summary>
    /// The priority a job created by <c>run</c> gets (webhook jobs get 0): a person is waiting at a
    /// terminal, and a store shared with a node may hold a backlog the claim would otherwise pick first.
    /// </summary>
    public const int Priority = 100;

    /// <summary>
    /// After Ctrl+C hands the job back, how long the run gets to notice (its watcher stops the agent
    /// when the fence moves) before it is cancelled outright.
    /// </summary>
    public static readonly TimeSpan HandBackGrace = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The worker name claims and history show: <c>NODEID/cli-PID</c>. Named after the process's silo like a worker
    /// slot, so when that silo dies in a fleet the nodes check its run (<c>DeadSiloRescueService</c>) and re-queue it.
    /// </summary>
    public string Owner => string.Create(CultureInfo.InvariantCulture, $"{nodeId}/cli-{Environment.ProcessId}");

    /// <summary>Runs the issue's job to an outcome and returns the exit code (see <see cref="RunExitCodes"/>).</summary>
    public async Task<int> RunAsync(RunIssueUrl url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(url);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);

        var refusal = await CheckIssueAsync(url, cancellationToken).ConfigureAwait(false);
        if (refusal is not null)
        {
            RunConsole.Problem(refusal);
            return RunExitCodes.NotDone;
        }

        var job = await FindOrCreateAsync(url, cancellationToken).ConfigureAwait(false);
        var claims = 0;
        while (true)
        {
            var record = await store.Jobs.GetAsync(job.Id, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"job {job.Id} was deleted while it ran.");
            var claimable = record.State == JobState.Queued || (record.State == JobState.Fixing && record.LeaseOwner is null);
            if (!claimable)
            {
                return claims == 0 ? AlreadyUnderWay(url, record) : Finish(record);
            }
            if (claims > record.MaxAttempts)
            {
                // Each claim that ran moves the job on; this only guards against a claim that keeps being refused.
                RunConsole.Problem($"job {record.Id} was claimed {claims} times without reaching an outcome; giving up.");
                return RunExitCodes.NotDone;
            }

            await WaitUntilDueAsync(record, cancellationToken).ConfigureAwait(false);
            // The job's repo grain decides, as for a worker slot: the repo's run slots count `run`'s job too.
            var claim = await claimer.ClaimAsync(record.Id, record.Repo, Owner, cancellationToken).ConfigureAwait(false);
            var claimedRecord = claim.Ticket is null ? null : await store.Jobs.GetAsync(record.Id, cancellationToken).ConfigureAwait(false);
            if (claim.Ticket is not { } ticket || claimedRecord is null)
            {
                RunConsole.Problem(
                    $"could not claim job {record.Id} for {url}: "
                    + (claim.Outcome == RunClaimOutcome.RepoFull
                        ? $"{url.Repo} runs as many jobs as its maxConcurrentJobs allows (is an AgentMesh node running on this store?)."
                        : "another worker holds it, or it is not due yet."));
                return RunExitCodes.NotDone;
            }
            var claimed = new ClaimedJob(claimedRecord, new JobLease(ticket.JobId, ticket.Owner, ticket.Fence));
            claims++;
            if (!await RunClaimedAsync(claimed, cancellationToken).ConfigureAwait(false))
            {
                RunConsole.Problem($"stopped: job {record.Id} was handed back; a node (or another `agentmesh run`) can take it from here.");
                return RunExitCodes.Interrupted;
            }
            await PerformEffectsAsync(record.Id).ConfigureAwait(false);
        }
    }

    /// <summary>Null when the issue can be worked on; otherwise why not.</summary>
    private async Task<string?> CheckIssueAsync(RunIssueUrl url, CancellationToken cancellationToken)
    {
        Octokit.Issue issue;
        try
        {
            issue = await (await github.ForRepositoryAsync(url.Repo, cancellationToken).ConfigureAwait(false)).GetIssueAsync(url.Owner, url.Name, url.Number, cancellationToken).ConfigureAwait(false);
        }
        catch (Octokit.ApiException ex) when (ex.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return $"issue {url} was not found (or the configured GitHub credentials cannot see it).";
        }
        if (issue.PullRequest is not null)
        {
            return $"{url} is a pull request; `agentmesh run` takes an issue.";
        }
        if (string.Equals(issue.State.StringValue, "closed", StringComparison.OrdinalIgnoreCase))
        {
            return $"issue {url} is closed; nothing to do";
        }
        console.Print($"[bold]{Markup.Escape(url.ToString())}[/] {Markup.Escape(issue.Title)}");
        return null;
    }

    private async Task<JobRecord> FindOrCreateAsync(RunIssueUrl url, CancellationToken cancellationToken)
    {
        // The job lives under the repo's configured spelling, as jobs from webhooks do (GitHub's names ignore case).
        var repoName = await repos.ConfiguredNameAsync(url.Repo, cancellationToken).ConfigureAwait(false);
        var key = JobActor.NaturalKey(repoName, url.Number, JobKind.SolveIssue);
        var existing = await store.Jobs.FindByNaturalKeyAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is null)
        {
            var repo = await repos.GetAsync(repoName, cancellationToken).ConfigureAwait(false);
            var maxFixRounds = repo?.Config.MaxFixRounds ?? new RepoConfig().MaxFixRounds;
            var (record, created) = await jobs.CreateAsync(repoName, url.Number, JobKind.SolveIssue, maxFixRounds, priority: Priority, cancellationToken: cancellationToken).ConfigureAwait(false);
            console.Print(created ? $"created job [bold]{record.Id}[/]" : $"found job [bold]{record.Id}[/]");
            return record;
        }
        if (existing.State.IsTerminal())
        {
            await jobs.SendAsync(existing.Id, new Rerun(Environment.UserName), cancellationToken: cancellationToken).ConfigureAwait(false);
            console.Print($"re-running job [bold]{existing.Id}[/] (it was {existing.State.ToWire()})");
            return existing;
        }
        console.Print($"found job [bold]{existing.Id}[/] ({existing.State.ToWire()})");
        return existing;
    }

    private int AlreadyUnderWay(RunIssueUrl url, JobRecord record)
    {
        var actor = JobActor.Deserialize(record.DataJson);
        var detail = record.LeaseOwner is { } owner ? $"; {owner} holds it"
            : actor.PullRequest is { } pr ? $"; its pull request is {pr.Url}"
            : "";
        RunConsole.Problem($"job {record.Id} for {url} is already {record.State.ToWire()}{detail}; nothing to run.");
        if (console.Json)
        {
            Console.Out.WriteLine(CliJson.Write(JobSummary.From(record, actor)));
        }
        return RunExitCodes.NotDone;
    }

    private async Task WaitUntilDueAsync(JobRecord record, CancellationToken cancellationToken)
    {
        var wait = record.RunAfter - timeProvider.GetUtcNow();
        if (wait > TimeSpan.Zero)
        {
            console.Print($"[yellow]attempt {record.Attempt} of {record.MaxAttempts} is due at {CliFormat.Time(record.RunAfter)} UTC; waiting[/]");
            await Task.Delay(wait, timeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases a claim this process took by mistake (another job came first) without spending an attempt.</summary>


    /// <summary>Runs a claim to its end with the log shown live. False when Ctrl+C handed it back.</summary>
    private async Task<bool> RunClaimedAsync(ClaimedJob claimed, CancellationToken cancellationToken)
    {
        var follower = new RunLogFollower(store, changes, claimed.Job.Id, console);
        // Not cancellable: from the claim on, Ctrl+C must reach ExecuteAsync, which hands the claim back.
        await follower.SkipExistingAsync(CancellationToken.None).ConfigureAwait(false);
        var initial = await follower.DescribeAsync(CancellationToken.None).ConfigureAwait(false);
        return await console.WithStatusAsync(initial, async status =>
        {
            using var following = new CancellationTokenSource();
            var follow = console.Json ? Task.CompletedTask : follower.FollowAsync(status, following.Token);
            bool finished;
            try
            {
                finished = await ExecuteAsync(claimed, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await following.CancelAsync().ConfigureAwait(false);
                await follow.ConfigureAwait(false);
            }
            // The run's log writer flushed before it returned: this prints the last lines.
            if (!console.Json)
            {
                await follower.PrintNewLinesAsync(CancellationToken.None).ConfigureAwait(false);
                status(await follower.DescribeAsync(CancellationToken.None).ConfigureAwait(false));
            }
            return finished;
        }).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs the job. Ctrl+C does not cancel the run directly: it hands the job back first, which
    /// moves the fence, and the run's own watcher then stops the agent and every later write of
    /// the run is refused, exactly as when a node loses a lease. Only if the run has not ended after
    /// <see cref="HandBackGrace"/> is it cancelled.
    /// </summary>
    private async Task<bool> ExecuteAsync(ClaimedJob claimed, CancellationToken cancellationToken)
    {
        using var backstop = new CancellationTokenSource();
        var run = execution.RunAsync(claimed, backstop.Token);
        var interrupted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (cancellationToken.Register(() => interrupted.TrySetResult()).ConfigureAwait(false))
        {
            if (await Task.WhenAny(run, interrupted.Task).ConfigureAwait(false) == run)
            {
                await run.ConfigureAwait(false);
                return true;
            }
        }

        console.Print("[yellow]Ctrl+C: handing the job back and stopping the agent[/]");
        try
        {
            await jobs.AbandonClaimAsync(claimed.Lease, CancellationToken.None).ConfigureAwait(false);
        }
        catch (StaleLeaseException)
        {
            // The run reached its outcome (which released the lease) in the meantime: nothing to hand back.
            await run.ConfigureAwait(false);
            return true;
        }
        backstop.CancelAfter(HandBackGrace);
        try
        {
            await run.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (backstop.IsCancellationRequested)
        {
        }
        return false;
    }

    /// <summary>
    /// Performs the GitHub side effects the run committed (PR comment, questions) until none is due. Through the
    /// job's effects grain, which the run's turns already woke: a call waits for the one in progress, so when it
    /// returns, what was due is on GitHub.
    /// </summary>
    private async Task PerformEffectsAsync(string jobId)
    {
        while (await grains.GetGrain<IJobEffectsGrain>(jobId).PerformAsync().ConfigureAwait(false) is { } next && next <= timeProvider.GetUtcNow())
        {
        }
    }

    private int Finish(JobRecord record)
    {
        var actor = JobActor.Deserialize(record.DataJson);
        if (console.Json)
        {
            Console.Out.WriteLine(CliJson.Write(JobSummary.From(record, actor)));
        }
        var tokens = $"{CliFormat.Tokens(actor.Usage.Total.Tokens)}, {CliFormat.Cost(actor.Usage.Total.CostUsd)}";
        switch (record.State)
        {
            case JobState.PrOpened:
                console.Print($"[green]pull request opened:[/] {Markup.Escape(actor.PullRequest?.Url ?? "-")}");
                console.Print($"[dim]tokens: {Markup.Escape(tokens)}[/]");
                return RunExitCodes.Done;
            case JobState.WaitingForReply:
                console.Print("[yellow]the agent asked (posted on the issue; answer there to continue):[/]");
                foreach (var question in actor.Clarification?.Questions ?? [])
                {
                    console.Print($"  - {Markup.Escape(question)}");
                }
                console.Print($"[dim]tokens: {Markup.Escape(tokens)}[/]");
                return RunExitCodes.Done;
            case JobState.WaitingForApproval:
                console.Print("[yellow]the work changes protected paths and is held unpushed until a maintainer approves it on the issue:[/]");
                foreach (var path in actor.Held?.Paths ?? [])
                {
                    console.Print($"  - {Markup.Escape(path)}");
                }
                return RunExitCodes.Done;
            case JobState.Failed:
                console.Print($"[red]failed:[/] {Markup.Escape(actor.LastError?.Reason ?? "no reason recorded")}");
                return RunExitCodes.NotDone;
            default:
                // Stopped or closed from elsewhere (the dashboard, the API, the issue closed) while it ran.
                console.Print($"[grey]job {Markup.Escape(record.Id)} ended {record.State.ToWire()}[/]");
                return RunExitCodes.NotDone;
        }
    }
}
