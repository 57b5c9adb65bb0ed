using System.Text.Json.Serialization;

namespace AgentMesh.Core.Jobs.Events;

/// <summary>
/// Something that happened to a job, appended to its event history by the turn that decided it. Events are facts
/// in the past tense; the outbox and the dashboard react to them. The JSON form carries a snake_case "type".
/// </summary>
/// <param name="At">When the decision was made (the <c>now</c> passed to the state machine).</param>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(JobCreated), "job_created")]
[JsonDerivedType(typeof(JobClaimed), "job_claimed")]
[JsonDerivedType(typeof(PrReadyReported), "pr_ready_reported")]
[JsonDerivedType(typeof(PullRequestLinked), "pull_request_linked")]
[JsonDerivedType(typeof(ClarificationRequested), "clarification_requested")]
[JsonDerivedType(typeof(ReplyAccepted), "reply_accepted")]
[JsonDerivedType(typeof(FixRoundStarted), "fix_round_started")]
[JsonDerivedType(typeof(ReviewFeedbackDeclined), "review_feedback_declined")]
[JsonDerivedType(typeof(ReviewFeedbackGathered), "review_feedback_gathered")]
[JsonDerivedType(typeof(FixRoundPushed), "fix_round_pushed")]
[JsonDerivedType(typeof(JobMerged), "job_merged")]
[JsonDerivedType(typeof(JobClosed), "job_closed")]
[JsonDerivedType(typeof(JobStopped), "job_stopped")]
[JsonDerivedType(typeof(RetryScheduled), "retry_scheduled")]
[JsonDerivedType(typeof(JobRunLost), "run_lost")]
[JsonDerivedType(typeof(JobFailed), "job_failed")]
[JsonDerivedType(typeof(JobRerun), "job_rerun")]
[JsonDerivedType(typeof(ChatMessagePosted), "chat_message_posted")]
[JsonDerivedType(typeof(ChatMessagesDelivered), "chat_messages_delivered")]
[JsonDerivedType(typeof(UsageRecorded), "usage_recorded")]
[JsonDerivedType(typeof(ApprovalRequested), "approval_requested")]
[JsonDerivedType(typeof(ApprovalGranted), "approval_granted")]
public abstract record JobEvent(DateTimeOffset At);
