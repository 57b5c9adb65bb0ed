using System.Diagnostics;
using AgentMesh.Guardrails.Secrets;
using AgentMesh.Guardrails.UntrustedText;
using Shouldly;

namespace AgentMesh.Guardrails.Tests;

/// <summary>
/// Inputs shaped to make a scanner quadratic (GitHub allows 65,536 characters in a comment; a minified file is one
/// long diff line). Each must finish well inside the deadline; a quadratic scanner takes minutes on them.
/// </summary>
public sealed class AdversarialInputTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    public static TheoryData<string, string> Comments() => new()
    {
        { "unclosed tags", string.Concat(Enumerable.Repeat("<a b c d ", 8_000)) },
        { "code spans and tags", string.Concat(Enumerable.Repeat("`x`<", 16_000)) },
        { "unclosed quote", "<a x=\"" + string.Concat(Enumerable.Repeat("<a y ", 13_000)) },
        { "nested hidden", string.Concat(Enumerable.Repeat("<div hidden>", 5_000)) },
        { "brackets", string.Concat(Enumerable.Repeat("![[", 20_000)) },
    };

    [Theory]
    [MemberData(nameof(Comments))]
    public async Task The_sanitizer_stays_linear_on_hostile_comments(string shape, string body)
    {
        var watch = Stopwatch.StartNew();

        await Task.Run(() => new UntrustedTextSanitizer().Sanitize(body)).WaitAsync(Deadline);

        watch.Elapsed.ShouldBeLessThan(Deadline, shape);
    }

    [Fact]
    public void Text_too_deeply_nested_for_the_markdown_parser_is_left_out_whole()
    {
        var body = "Ignore the rules " + string.Concat(Enumerable.Repeat("![[", 20_000));

        var result = new UntrustedTextSanitizer().Sanitize(body);

        result.Text.ShouldBe("");
        result.Summary().ShouldBe("1 × text too deeply nested to parse, left out");
    }

    [Theory]
    [InlineData("token")]
    [InlineData("sk-")]
    [InlineData("sk-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("AccountKey=")]
    public async Task The_secret_scanner_stays_linear_on_one_long_line(string repeated)
    {
        // Ends with the legacy OpenAI marker, so the rule that needs it runs over the whole line too.
        var line = string.Concat(Enumerable.Repeat(repeated, 400_000 / repeated.Length)) + "T3BlbkFJ";
        var diff = $"diff --git a/app.min.js b/app.min.js\n--- a/app.min.js\n+++ b/app.min.js\n@@ -1 +1 @@\n-x\n+{line}\n";

        await Task.Run(() => new SecretScanner().ScanDiff(diff)).WaitAsync(Deadline);
    }
}
