using System.Text.Json.Serialization;

namespace AgentMesh.Core.Jobs.Commands;

/// <summary>
/// A request to the job actor. One record type per command; its type name is the command's name in error
/// messages and history. The JSON form carries a snake_case "type" discriminator so commands can travel through
/// queues or the outbox.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(Start), "start")]
[JsonDerivedType(typeof(ReportPrReady), "report_pr_ready")]
[JsonDerivedType(typeof(PrOpened), "pr_opened")]
[JsonDerivedType(typeof(ReportNeedsClarification), "report_needs_clarification")]
[JsonDerivedType(typeof(ReplyReceived), "reply_received")]
[JsonDerivedType(typeof(ReviewFeedback), "review_feedback")]
[JsonDerivedType(typeof(FixPushed), "fix_pushed")]
[JsonDerivedType(typeof(Merged), "merged")]
[JsonDerivedType(typeof(PrClosedWithoutMerge), "pr_closed_without_merge")]
[JsonDerivedType(typeof(IssueClosed), "issue_closed")]
[JsonDerivedType(typeof(Stop), "stop")]
[JsonDerivedType(typeof(TransientFailure), "transient_failure")]
[JsonDerivedType(typeof(PermanentFailure), "permanent_failure")]
[JsonDerivedType(typeof(RunLost), "run_lost")]
[JsonDerivedType(typeof(Rerun), "rerun")]
[JsonDerivedType(typeof(PostChatMessage), "post_chat_message")]
[JsonDerivedType(typeof(MarkMessagesDelivered), "mark_messages_delivered")]
[JsonDerivedType(typeof(RecordUsage), "record_usage")]
[JsonDerivedType(typeof(RequestApproval), "request_approval")]
[JsonDerivedType(typeof(Approve), "approve")]
public abstract record JobCommand
{
    /// <summary>The command's name as used in messages and history (its type name).</summary>
    [JsonIgnore]
    public string Name => GetType().Name;
}
