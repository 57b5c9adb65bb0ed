using AgentMesh.Core.Jobs.Commands;
using AgentMesh.Core.Jobs.Events;
using AgentMesh.Core.Retry;

namespace AgentMesh.Core.Jobs;

/// <summary>
/// The job actor's pure decision function: given the current state, a command, the time and a random source, it
/// returns the new state and the events to append, or throws a <see cref="JobDomainException"/> when the command
/// is not legal. No I/O, no clock: the store runs it inside the transaction that locks the job's row.
/// </summary>
/// <remarks>
/// Legal transitions (docs/core.md has the full state × command table):
/// queued → running → pr_opened → merged; running → waiting_for_reply → queued; pr_opened → fixing → pr_opened;
/// running → queued (transient retry); running/fixing → failed; running/fixing → waiting_for_approval → queued/fixing; any non-terminal → stopped; → closed.
/// Terminal states (merged, failed, stopped, closed) are left only by <see cref="Rerun"/>.
/// Explicit no-ops (same state, no events): <see cref="RunLost"/> whose fence is not the current claim's
/// (the job already moved on — this is what keeps a late report from reviving a stopped job); <see cref="IssueClosed"/>
/// in a terminal state or once the job has a pull request (the PR's merge or close decides); <see cref="Merged"/>
/// while merged, <see cref="PrClosedWithoutMerge"/> while closed, <see cref="Stop"/> while stopped, and
/// <see cref="PrOpened"/> repeating the linked PR (duplicate deliveries and outbox retries);
/// <see cref="MarkMessagesDelivered"/> of unknown or already delivered ids; <see cref="RecordUsage"/> of zero.
/// </remarks>
public sealed class JobStateMachine
{
    private readonly JobActorOptions _options;
    private readonly RetrySchedule _retry;

    public JobStateMachine(JobActorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.EnsureValid();
        _retry = new RetrySchedule(options.Retry);
    }

    /// <summary>The options in force.</summary>
    public JobActorOptions Options => _options;

    /// <summary>Creates a queued job, runnable now, with <see cref="RetryOptions.MaxAttempts"/> attempts per piece of work.</summary>
    public JobDecision Create(JobSpec job, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(job);
        ArgumentException.ThrowIfNullOrWhiteSpace(job.Id, nameof(job));
        if (!RepoName.IsValid(job.Repo))
        {
            throw new ArgumentException($"Repo must be \"owner/name\" (was \"{job.Repo}\").", nameof(job));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(job.Number, 1, nameof(job));
        ArgumentOutOfRangeException.ThrowIfNegative(job.MaxFixRounds, nameof(job));
        if (job.Kind == JobKind.FixPullRequest && job.PullRequest?.Number != job.Number)
        {
            throw new ArgumentException("A FixPullRequest job needs its pull request link, with the job's number.", nameof(job));
        }

        if (job.Kind == JobKind.SolveIssue && job.PullRequest is not null)
        {
            throw new ArgumentException("A SolveIssue job starts without a pull request.", nameof(job));
        }

        var state = new JobActorState
        {
            Id = job.Id,
            Repo = job.Repo,
            Number = job.Number,
            Kind = job.Kind,
            MaxAttempts = _options.Retry.MaxAttempts,
            MaxFixRounds = job.MaxFixRounds,
            PullRequest = job.PullRequest,
            RunAfter = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        return new JobDecision(state, [new JobCreated(now, job.Repo, job.Number, job.Kind, state.MaxAttempts, job.MaxFixRounds)]);
    }

    /// <summary>Decides one command. Throws <see cref="JobDomainException"/> (state unchanged) when it is not legal.</summary>
    public JobDecision Decide(JobActorState state, JobCommand command, DateTimeOffset now, IRandomSource random)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(random);
        return command switch
        {
            Start c => OnStart(state, c, now),
            ReportPrReady c => OnReportPrReady(state, c, now),
            PrOpened c => OnPrOpened(state, c, now),
            ReportNeedsClarification c => OnNeedsClarification(state, c, now),
            ReplyReceived c => OnReplyReceived(state, c, now),
            ReviewFeedback c => OnReviewFeedback(state, c, now),
            FixPushed c => OnFixPushed(state, c, now),
            Merged c => OnMerged(state, c, now),
            PrClosedWithoutMerge c => OnPrClosed(state, c, now),
            IssueClosed c => OnIssueClosed(state, c, now),
            Stop c => OnStop(state, c, now),
            TransientFailure c => OnTransientFailure(state, c, c.Reason, now, random),
            PermanentFailure c => OnPermanentFailure(state, c, now),
            RunLost c => OnRunLost(state, c, now, random),
            Rerun c => OnRerun(state, c, now),
            PostChatMessage c => OnPostChatMessage(state, c, now),
            MarkMessagesDelivered c => OnMarkDelivered(state, c, now),
            RecordUsage c => OnRecordUsage(state, c, now),
            RequestApproval c => OnRequestApproval(state, c, now),
            Approve c => OnApprove(state, c, now),
            _ => throw new ArgumentException($"Unknown job command {command.Name}.", nameof(command)),
        };
    }

    private JobDecision OnStart(JobActorState s, Start c, DateTimeOffset now)
    {
        var claimable = s.State == JobState.Queued || (s.State == JobState.Fixing && s.Lease is null);
        if (!claimable)
        {
            throw Illegal(s, c, s.State == JobState.Fixing ? $"worker {s.Lease!.WorkerId} already holds it." : null);
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(c.WorkerId, nameof(c));
        if (c.Fence <= s.LastFence)
        {
            throw Illegal(s, c, $"fence {c.Fence} is not newer than the last claim's fence {s.LastFence}.");
        }

        // A claimed fix round stays "fixing": the board shows what the work is, the lease shows who does it.
        var target = s.State == JobState.Fixing ? JobState.Fixing : JobState.Running;
        var next = Move(s, target, c, now) with
        {
            Lease = new LeaseHolder(c.WorkerId, c.Fence, now),
            LastFence = c.Fence,
            PrReadySummary = null,
            Usage = s.Usage with { ThisAttempt = UsageTotals.Zero },
        };
        return Decided(next, new JobClaimed(now, c.WorkerId, c.Fence, s.Run, s.Attempt, s.FixRounds));
    }

    private JobDecision OnReportPrReady(JobActorState s, ReportPrReady c, DateTimeOffset now)
    {
        RequireState(s, c, JobState.Running);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Summary, nameof(c));
        return Decided(s with { PrReadySummary = c.Summary, Pushed = new PushedWork(s.Run, c.Summary, now), UpdatedAt = now }, new PrReadyReported(now, c.Summary));
    }

    private JobDecision OnPrOpened(JobActorState s, PrOpened c, DateTimeOffset now)
    {
        if (s.State == JobState.PrOpened)
        {
            return s.PullRequest?.Number == c.Number
                ? JobDecision.NoOp(s)
                : throw Illegal(s, c, $"it already follows PR #{s.PullRequest?.Number}, not #{c.Number}.");
        }

        RequireState(s, c, JobState.Running);
        if (s.PullRequest is not null && s.PullRequest.Number != c.Number)
        {
            throw Illegal(s, c, $"it works on PR #{s.PullRequest.Number}, not #{c.Number}.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(c.Number, 1, nameof(c));
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Url, nameof(c));
        ArgumentException.ThrowIfNullOrWhiteSpace(c.HeadBranch, nameof(c));
        var next = Move(s, JobState.PrOpened, c, now) with
        {
            Lease = null,
            PullRequest = new PullRequestLink(c.Number, c.Url, c.HeadBranch),
        };
        return Decided(next, new PullRequestLinked(now, c.Number, c.Url, c.HeadBranch));
    }

    private JobDecision OnNeedsClarification(JobActorState s, ReportNeedsClarification c, DateTimeOffset now)
    {
        RequireState(s, c, JobState.Running);
        if (c.Questions is null || c.Questions.Count == 0 || c.Questions.Any(string.IsNullOrWhiteSpace))
        {
            throw Illegal(s, c, "it needs at least one question, and no blank ones.");
        }

        var questions = c.Questions.ToArray();
        var next = Move(s, JobState.WaitingForReply, c, now) with
        {
            Lease = null,
            Clarification = new Clarification(questions, now, null),
        };
        return Decided(next, new ClarificationRequested(now, questions));
    }

    private JobDecision OnReplyReceived(JobActorState s, ReplyReceived c, DateTimeOffset now)
    {
        RequireState(s, c, JobState.WaitingForReply);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Author, nameof(c));
        ArgumentNullException.ThrowIfNull(c.Text, nameof(c));
        var next = Move(s, JobState.Queued, c, now) with
        {
            RunAfter = now,
            Clarification = s.Clarification! with { Answer = new ClarificationAnswer(c.Author, c.Text, now) },
        };
        return Decided(next, new ReplyAccepted(now, c.Author, c.Text));
    }

    private JobDecision OnReviewFeedback(JobActorState s, ReviewFeedback c, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Author, nameof(c));
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Text, nameof(c));
        if (s.State == JobState.Fixing)
        {
            return GatherFeedback(s, c, now);
        }

        RequireState(s, c, JobState.PrOpened);
        if (s.FixRounds >= s.MaxFixRounds)
        {
            return Decided(s with { UpdatedAt = now }, new ReviewFeedbackDeclined(now, c.Author, c.Text, s.FixRounds, s.MaxFixRounds));
        }

        var note = new ReviewFeedbackNote(c.Author, c.Text, now, c.ReviewId is { } id ? [id] : null);
        return StartFixRound(s, c, note, now);
    }

    // One review arrives as several deliveries seconds apart (the review, then one per inline comment).
    // Sending the later ones into the running agent as chat kept it answering and never ending, so
    // feedback during a round is gathered instead: into the round while no worker holds it (the
    // settle delay gives the rest of the review time to arrive), dropped into the round's notes when
    // the agent already works on that review, and kept for the next round when it is a new review.
    private JobDecision GatherFeedback(JobActorState s, ReviewFeedback c, DateTimeOffset now)
    {
        var feedback = s.FixFeedback!;
        if (s.Lease is null || feedback.Includes(c.ReviewId))
        {
            var gathered = s with { FixFeedback = feedback.Add(c.Author, c.Text, c.ReviewId), UpdatedAt = now };
            return Decided(gathered, new ReviewFeedbackGathered(now, c.Author, c.Text, c.ReviewId, "round"));
        }

        var pending = s.PendingFeedback is { } waiting
            ? waiting.Add(c.Author, c.Text, c.ReviewId)
            : new ReviewFeedbackNote(c.Author, c.Text, now, c.ReviewId is { } id ? [id] : null);
        return Decided(s with { PendingFeedback = pending, UpdatedAt = now }, new ReviewFeedbackGathered(now, c.Author, c.Text, c.ReviewId, "next_round"));
    }

    private JobDecision StartFixRound(JobActorState s, JobCommand c, ReviewFeedbackNote note, DateTimeOffset now)
    {
        var round = s.FixRounds + 1;
        var next = Move(s, JobState.Fixing, c, now, attempt: 1) with
        {
            FixRounds = round,
            FixFeedback = note,
            PendingFeedback = null,
            Attempt = 1,
            RunAfter = now + _options.ReviewSettleDelay,
            Lease = null,
            PrReadySummary = null,
        };
        return Decided(next, new FixRoundStarted(now, round, note.Author, note.Text));
    }

    private JobDecision OnFixPushed(JobActorState s, FixPushed c, DateTimeOffset now)
    {
        var legal = (s.State == JobState.Fixing && s.Lease is not null)
            || (s.State == JobState.Running && s.Kind == JobKind.FixPullRequest);
        if (!legal)
        {
            throw Illegal(s, c, s.State switch
            {
                JobState.Fixing => "no worker holds the fix round.",
                JobState.Running => "only a FixPullRequest job pushes to an existing branch; this job opens a PR.",
                _ => null,
            });
        }

        var pushed = new FixRoundPushed(now, s.FixRounds);
        if (s.PendingFeedback is { } pending && s.State == JobState.Fixing && s.FixRounds < s.MaxFixRounds)
        {
            // A review that came in while this round ran gets a round of its own, now that this one pushed:
            // the job stays fixing, without a worker, until one takes the next round.
            var nextRound = StartFixRound(s, c, pending, now);
            return new JobDecision(nextRound.State, [pushed, .. nextRound.Events]);
        }
        var next = Move(s, JobState.PrOpened, c, now) with { Lease = null, PendingFeedback = null };
        return Decided(next, pushed);
    }

    private JobDecision OnMerged(JobActorState s, Merged c, DateTimeOffset now)
    {
        if (s.State == JobState.Merged)
        {
            return JobDecision.NoOp(s);
        }

        RequireOpenWithPullRequest(s, c);
        var next = Move(s, JobState.Merged, c, now) with { Lease = null };
        return Decided(next, new JobMerged(now, s.PullRequest!.Number));
    }

    private JobDecision OnPrClosed(JobActorState s, PrClosedWithoutMerge c, DateTimeOffset now)
    {
        if (s.State == JobState.Closed)
        {
            return JobDecision.NoOp(s);
        }

        RequireOpenWithPullRequest(s, c);
        var next = Move(s, JobState.Closed, c, now) with { Lease = null };
        return Decided(next, new JobClosed(now, JobCloseReason.PullRequestClosedWithoutMerge));
    }

    private JobDecision OnIssueClosed(JobActorState s, IssueClosed c, DateTimeOffset now)
    {
        // Merging a PR that says "fixes #42" closes the issue too, and GitHub does not order the two webhooks.
        // Once a PR exists its merge or close decides the outcome, so the issue's close must not pre-empt it.
        if (s.State.IsTerminal() || s.PullRequest is not null)
        {
            return JobDecision.NoOp(s);
        }

        var next = Move(s, JobState.Closed, c, now) with { Lease = null };
        return Decided(next, new JobClosed(now, JobCloseReason.IssueClosed));
    }

    private JobDecision OnStop(JobActorState s, Stop c, DateTimeOffset now)
    {
        if (s.State == JobState.Stopped)
        {
            return JobDecision.NoOp(s);
        }

        RequireNotTerminal(s, c);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.By, nameof(c));
        var next = Move(s, JobState.Stopped, c, now) with { Lease = null };
        return Decided(next, new JobStopped(now, c.By, s.State));
    }

    private JobDecision OnTransientFailure(JobActorState s, JobCommand c, string reason, DateTimeOffset now, IRandomSource random, bool atOnce = false)
    {
        RequireWorking(s, c);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason, nameof(c));
        var plan = _retry.Plan(s.Attempt, s.MaxAttempts, now, random);
        if (atOnce && plan.Retry)
        {
            plan = plan with { Delay = TimeSpan.Zero, RunAfter = now };
        }
        var error = new JobError(reason, ErrorClass.Transient, s.Attempt, now);
        if (!plan.Retry)
        {
            return Fail(s, c, error, attemptsExhausted: true, now);
        }

        // A fix round keeps its state and waits for a worker again; a solve goes back to the queue.
        var target = s.State == JobState.Fixing ? JobState.Fixing : JobState.Queued;
        var next = Move(s, target, c, now, plan.NextAttempt) with
        {
            Attempt = plan.NextAttempt,
            RunAfter = plan.RunAfter,
            Lease = null,
            LastError = error,
            PrReadySummary = null,
        };
        return Decided(next, new RetryScheduled(now, s.Attempt, reason, plan.NextAttempt, plan.Delay, plan.RunAfter));
    }

    private JobDecision OnPermanentFailure(JobActorState s, PermanentFailure c, DateTimeOffset now)
    {
        RequireWorking(s, c);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Reason, nameof(c));
        return Fail(s, c, new JobError(c.Reason, ErrorClass.Permanent, s.Attempt, now), attemptsExhausted: false, now);
    }

    private JobDecision OnRunLost(JobActorState s, RunLost c, DateTimeOffset now, IRandomSource random)
    {
        // Only the run the job grain probed may be declared lost. Any other fence means the job already moved on
        // (stopped, finished, re-queued, or claimed again): doing nothing is what keeps a stopped job stopped.
        if (!s.IsHeldBy(c.Fence))
        {
            return JobDecision.NoOp(s);
        }

        // The node failed, not the job: the next attempt may start at once. The attempt still counts, so a job
        // whose runs take their silos down stops at its last attempt.
        var worker = s.Lease!.WorkerId;
        var failed = OnTransientFailure(s, c, $"The run on worker {worker} was lost (fence {c.Fence}).", now, random, atOnce: true);
        return failed with { Events = [new JobRunLost(now, c.Fence, worker), .. failed.Events] };
    }

    private JobDecision OnRerun(JobActorState s, Rerun c, DateTimeOffset now)
    {
        if (!s.State.IsTerminal())
        {
            throw Illegal(s, c, "only a finished job can be re-run.");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(c.By, nameof(c));
        var run = s.Run + 1;
        var next = Move(s, JobState.Queued, c, now, attempt: 1) with
        {
            Run = run,
            Attempt = 1,
            RunAfter = now,
            Lease = null,
            LastError = null,
            PrReadySummary = null,
            Clarification = null,
            FixRounds = 0,
            FixFeedback = null,
            PendingFeedback = null,
            Pushed = null,
            Held = null,
            TriggeredBy = c.By,
            // A solve job's re-run works from scratch; if it pushes to the same branch the PR is found again.
            PullRequest = s.Kind == JobKind.FixPullRequest ? s.PullRequest : null,
            Usage = s.Usage with { ThisAttempt = UsageTotals.Zero },
        };
        return Decided(next, new JobRerun(now, c.By, run, s.State));
    }

    private JobDecision OnPostChatMessage(JobActorState s, PostChatMessage c, DateTimeOffset now)
    {
        RequireNotTerminal(s, c);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Author, nameof(c));
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Text, nameof(c));
        return PostMessage(s, c.Author, c.Text, c.Kind, now);
    }

    private JobDecision PostMessage(JobActorState s, string author, string text, ChatMessageKind kind, DateTimeOffset now)
    {
        var undelivered = s.Mailbox.Count(m => !m.Delivered);
        if (undelivered >= _options.MaxUndeliveredMessages)
        {
            throw new JobMailboxFullException(s.Id, _options.MaxUndeliveredMessages);
        }

        var message = new ChatMessage(s.NextMessageId, author, text, kind, now, Delivered: false);
        var next = s with
        {
            Mailbox = TrimDelivered([.. s.Mailbox, message]),
            NextMessageId = s.NextMessageId + 1,
            UpdatedAt = now,
        };
        return Decided(next, new ChatMessagePosted(now, message));
    }

    private JobDecision OnMarkDelivered(JobActorState s, MarkMessagesDelivered c, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c.MessageIds, nameof(c));
        var wanted = c.MessageIds.ToHashSet();
        var newlyDelivered = s.Mailbox.Where(m => !m.Delivered && wanted.Contains(m.Id)).Select(m => m.Id).ToArray();
        if (newlyDelivered.Length == 0)
        {
            return JobDecision.NoOp(s);
        }

        var mailbox = s.Mailbox.Select(m => wanted.Contains(m.Id) ? m with { Delivered = true } : m).ToArray();
        return Decided(s with { Mailbox = TrimDelivered(mailbox), UpdatedAt = now }, new ChatMessagesDelivered(now, newlyDelivered));
    }

    private static JobDecision OnRecordUsage(JobActorState s, RecordUsage c, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(c.Tokens, nameof(c));
        if (c.Tokens.FirstNegative() is { } negative)
        {
            throw new ArgumentOutOfRangeException(nameof(c), $"{negative} tokens must not be negative.");
        }

        if (c.CostUsd < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(c), "CostUsd must not be negative.");
        }

        if (c.Tokens.IsZero && c.CostUsd == 0)
        {
            return JobDecision.NoOp(s);
        }

        // Usage counts in every state: tokens spent by a run that was stopped a moment later were still paid for.
        var usage = new JobUsage(s.Usage.ThisAttempt.Add(c.Tokens, c.CostUsd), s.Usage.Total.Add(c.Tokens, c.CostUsd));
        var next = s with { Usage = usage, UpdatedAt = now };
        return Decided(next, new UsageRecorded(now, s.Run, s.Attempt, c.Tokens, c.CostUsd, usage.Total));
    }

    private JobDecision OnRequestApproval(JobActorState s, RequestApproval c, DateTimeOffset now)
    {
        RequireWorking(s, c);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.Commit, nameof(c));
        ArgumentNullException.ThrowIfNull(c.Summary, nameof(c));
        if (c.Paths is null || c.Paths.Count == 0 || c.Paths.Any(string.IsNullOrWhiteSpace))
        {
            throw Illegal(s, c, "it needs at least one protected path, and no blank ones.");
        }

        var paths = c.Paths.ToArray();
        var fixRound = s.State == JobState.Fixing ? s.FixRounds : 0;
        var next = Move(s, JobState.WaitingForApproval, c, now) with
        {
            Lease = null,
            Held = new HeldWork(s.Run, c.Commit, c.Summary, paths, fixRound, now),
        };
        return Decided(next, new ApprovalRequested(now, s.Run, c.Commit, paths));
    }

    private JobDecision OnApprove(JobActorState s, Approve c, DateTimeOffset now)
    {
        RequireState(s, c, JobState.WaitingForApproval);
        ArgumentException.ThrowIfNullOrWhiteSpace(c.By, nameof(c));
        var held = s.Held!;
        // The approved piece of work resumes where it was: the solve from the queue, a fix round as a round
        // no worker holds. Its worker pushes the held commit without running the agent again.
        var target = held.FixRound > 0 ? JobState.Fixing : JobState.Queued;
        var next = Move(s, target, c, now) with
        {
            RunAfter = now,
            Held = held with { ApprovedBy = c.By },
        };
        return Decided(next, new ApprovalGranted(now, c.By, held.Run, held.Commit));
    }

    private JobDecision Fail(JobActorState s, JobCommand c, JobError error, bool attemptsExhausted, DateTimeOffset now)
    {
        var next = Move(s, JobState.Failed, c, now) with { Lease = null, LastError = error };
        return Decided(next, new JobFailed(now, error.Attempt, error.Reason, error.Classification, attemptsExhausted));
    }

    private JobActorState Move(JobActorState s, JobState to, JobCommand c, DateTimeOffset now, int? attempt = null)
    {
        var entry = new JobTransition(s.State, to, c.Name, now, attempt ?? s.Attempt);
        var history = s.History.Count >= _options.HistoryLimit
            ? [.. s.History.Skip(s.History.Count - _options.HistoryLimit + 1), entry]
            : (IReadOnlyList<JobTransition>)[.. s.History, entry];
        return s with { State = to, History = history, UpdatedAt = now };
    }

    private ChatMessage[] TrimDelivered(IReadOnlyList<ChatMessage> mailbox)
    {
        var delivered = mailbox.Count(m => m.Delivered);
        var drop = Math.Max(0, delivered - _options.DeliveredMessagesKept);
        if (drop == 0)
        {
            return [.. mailbox];
        }

        // Drop the oldest delivered messages; undelivered ones are never dropped (the cap on posting bounds them).
        var result = new List<ChatMessage>(mailbox.Count - drop);
        foreach (var message in mailbox)
        {
            if (message.Delivered && drop > 0)
            {
                drop--;
                continue;
            }

            result.Add(message);
        }

        return [.. result];
    }

    private static JobDecision Decided(JobActorState state, JobEvent @event) => new(state, [@event]);

    private static void RequireState(JobActorState s, JobCommand c, JobState expected)
    {
        if (s.State != expected)
        {
            throw Illegal(s, c);
        }
    }

    private static void RequireNotTerminal(JobActorState s, JobCommand c)
    {
        if (s.State.IsTerminal())
        {
            throw Illegal(s, c);
        }
    }

    /// <summary>Running, or a fix round a worker holds: the states in which a worker reports failures.</summary>
    private static void RequireWorking(JobActorState s, JobCommand c)
    {
        if (s.State == JobState.Running || (s.State == JobState.Fixing && s.Lease is not null))
        {
            return;
        }

        throw Illegal(s, c, s.State == JobState.Fixing ? "no worker holds the fix round." : null);
    }

    private static void RequireOpenWithPullRequest(JobActorState s, JobCommand c)
    {
        RequireNotTerminal(s, c);
        if (s.PullRequest is null)
        {
            throw Illegal(s, c, "the job has no pull request.");
        }
    }

    private static InvalidJobTransitionException Illegal(JobActorState s, JobCommand c, string? detail = null) =>
        new(s.Id, s.State, c.Name, detail);
}
