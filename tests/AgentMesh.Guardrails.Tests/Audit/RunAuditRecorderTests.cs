using AgentMesh.Guardrails.Audit;
using AgentMesh.Guardrails.Secrets;
using AgentMesh.Guardrails.Tests.Secrets;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Audit;

public sealed class RunAuditRecorderTests
{
    private const string Worktree = "/var/lib/agentmesh/worktrees/acme/shop/acme-shop-42-issue";
    private static readonly DateTimeOffset T0 = new(2026, 11, 30, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Claude_Code_tool_calls_become_command_lines_and_files_read_and_written()
    {
        var recorder = new RunAuditRecorder("acme/shop#42:issue", 3, Worktree + "/", new SecretScanner());

        recorder.RecordToolCall(T0, "Read", $$"""{"file_path":"{{Worktree}}/src/Cart.cs"}""");
        recorder.RecordToolCall(T0.AddSeconds(1), "Bash", """{"command":"dotnet test tests/Cart.Tests","description":"run tests"}""");
        recorder.RecordToolCall(T0.AddSeconds(2), "Edit", $$"""{"file_path":"{{Worktree}}/src/Cart.cs","old_string":"a","new_string":"b"}""");
        recorder.RecordToolCall(T0.AddSeconds(3), "Write", """{"file_path":"/etc/hosts","content":"x"}""");
        recorder.RecordToolCall(T0.AddSeconds(4), "Grep", """{"pattern":"TODO","path":"src"}""");

        var audit = recorder.Build();

        audit.JobKey.ShouldBe("acme/shop#42:issue");
        audit.Run.ShouldBe(3);
        audit.ToolCalls.Select(Describe).ShouldBe(
        [
            "09:00:00 Read | read src/Cart.cs | wrote  | ",
            "09:00:01 Bash dotnet test tests/Cart.Tests | read  | wrote  | ",
            "09:00:02 Edit | read  | wrote src/Cart.cs | ",
            "09:00:03 Write | read  | wrote /etc/hosts | ",
            """09:00:04 Grep | read  | wrote  | {"pattern":"TODO","path":"src"}""",
        ]);
        audit.FilesRead.ShouldBe(["src/Cart.cs"]);
        audit.FilesWritten.ShouldBe(["/etc/hosts", "src/Cart.cs"]);
    }

    /// <summary>Records compare lists by reference, so calls are compared through one line each.</summary>
    private static string Describe(AuditToolCall call) =>
        $"{call.At:HH:mm:ss} {call.Tool}{(call.CommandLine is null ? "" : " " + call.CommandLine)} | read {string.Join(",", call.FilesRead)} | wrote {string.Join(",", call.FilesWritten)} | {call.Detail}";

    [Fact]
    public void Codex_and_Gemini_shapes_are_understood()
    {
        var recorder = new RunAuditRecorder("a/b#1:issue", 1, Worktree, new SecretScanner());

        recorder.RecordToolCall(T0, "command_execution", """{"command":["bash","-lc","npm test -- --watch=false"]}""");
        recorder.RecordToolCall(T0, "file_change", """{"changes":[{"kind":"update","path":"src/a.ts"},{"kind":"add","path":"src/b.ts"}]}""");
        recorder.RecordToolCall(T0, "run_shell_command", """{"command":"ls -la"}""");
        recorder.RecordToolCall(T0, "read_many_files", """{"paths":["README.md","docs/x.md"]}""");

        var calls = recorder.Build().ToolCalls;

        calls.Select(c => c.CommandLine).ShouldBe(["bash -lc 'npm test -- --watch=false'", null, "ls -la", null]);
        calls[1].FilesWritten.ShouldBe(["src/a.ts", "src/b.ts"]);
        calls[3].FilesRead.ShouldBe(["README.md", "docs/x.md"]);
    }

    [Fact]
    public void Credentials_in_command_lines_are_redacted_before_they_are_kept()
    {
        var nodeSecret = FakeCredentials.Make("", 32, seed: 41);
        var pat = FakeCredentials.Make("ghp_", 36);
        var recorder = new RunAuditRecorder("a/b#1:issue", 1, Worktree, new SecretScanner([nodeSecret]));

        recorder.RecordToolCall(T0, "Bash", $$"""{"command":"curl -H 'Authorization: token {{pat}}' https://api.github.com -d {{nodeSecret}}"}""");

        recorder.Build().ToolCalls.Single().CommandLine.ShouldBe(
            "curl -H 'Authorization: token [redacted: GitHub personal access token (ghp_)]' https://api.github.com -d [redacted: a secret configured on this node]");
    }

    [Fact]
    public void Past_the_limit_tool_calls_are_counted_not_kept()
    {
        var recorder = new RunAuditRecorder("a/b#1:issue", 1, Worktree, new SecretScanner());
        for (var i = 0; i < RunAuditRecorder.MaxToolCalls + 5; i++)
        {
            recorder.RecordToolCall(T0, "Bash", """{"command":"true"}""");
        }

        var audit = recorder.Build();

        audit.ToolCalls.Count.ShouldBe(RunAuditRecorder.MaxToolCalls);
        audit.ToolCallsDropped.ShouldBe(5);
    }

    [Fact]
    public void People_and_diff_stats_are_recorded()
    {
        var recorder = new RunAuditRecorder("a/b#1:issue", 2, Worktree, new SecretScanner());

        recorder.RecordPerson("octo-owner", AuditRole.Triggered, T0);
        recorder.RecordPerson("bob", AuditRole.Chatted, T0.AddMinutes(3));
        recorder.RecordPerson("octo-owner", AuditRole.Approved, T0.AddMinutes(9));
        recorder.RecordDiffStats("12\t3\tsrc/Cart.cs\n0\t40\t.github/workflows/old.yml\n-\t-\timg/logo.png\n5\t1\tsrc/{Basket.cs => Cart/Basket.cs}\n");

        var audit = recorder.Build();

        audit.People.ShouldBe(
        [
            new AuditPersonAction("octo-owner", AuditRole.Triggered, T0),
            new AuditPersonAction("bob", AuditRole.Chatted, T0.AddMinutes(3)),
            new AuditPersonAction("octo-owner", AuditRole.Approved, T0.AddMinutes(9)),
        ]);
        audit.FilesChanged.ShouldBe(
        [
            new FileChange("src/Cart.cs", null, 12, 3),
            new FileChange(".github/workflows/old.yml", null, 0, 40),
            new FileChange("img/logo.png", null, null, null),
            new FileChange("src/Cart/Basket.cs", "src/Basket.cs", 5, 1),
        ]);
    }
}
