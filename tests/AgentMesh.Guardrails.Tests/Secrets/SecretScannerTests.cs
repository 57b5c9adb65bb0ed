using AgentMesh.Guardrails.Secrets;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Secrets;

public sealed class SecretScannerTests
{
    private static string Diff(string path, params string[] addedLines) =>
        $"""
        diff --git a/{path} b/{path}
        index 1111111..2222222 100644
        --- a/{path}
        +++ b/{path}
        @@ -10,2 +10,{addedLines.Length + 2} @@
         context line one
        {string.Concat(addedLines.Select(l => "+" + l + "\n"))} context line two
        """;

    public static TheoryData<string, string, string> Credentials() => new()
    {
        { "classic PAT", "token = \"" + FakeCredentials.Make("ghp_", 36) + "\"", "GitHub personal access token (ghp_)" },
        { "OAuth", "GH=" + FakeCredentials.Make("gho_", 36), "GitHub OAuth access token (gho_)" },
        { "user-to-server", "x " + FakeCredentials.Make("ghu_", 36), "GitHub user-to-server token (ghu_)" },
        { "installation", "headers: Bearer " + FakeCredentials.Make("ghs_", 36), "GitHub App installation token (ghs_)" },
        { "refresh", FakeCredentials.Make("ghr_", 76), "GitHub refresh token (ghr_)" },
        { "fine-grained", "export GH_TOKEN=" + FakeCredentials.Make("github_pat_", 22) + "_" + FakeCredentials.Make("", 59, seed: 3), "GitHub fine-grained personal access token (github_pat_)" },
        { "AWS key id", "aws_access_key_id = " + FakeCredentials.Upper("AKIA", 16), "AWS access key id" },
        { "AWS secret", "aws_secret_access_key = " + FakeCredentials.Base64(40), "AWS secret access key" },
        { "Google API key", "const key = '" + FakeCredentials.Make("AIza", 35) + "';", "Google Cloud API key" },
        { "Google OAuth secret", "\"client_secret\": \"" + FakeCredentials.Make("GOCSPX-", 28) + "\"", "Google OAuth client secret" },
        { "GCP service account", "  \"private_key\": \"-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBg...\",", "private key block" },
        { "Azure storage", "DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=" + FakeCredentials.Make("", 86) + "==;EndpointSuffix=core.windows.net", "Azure storage account key" },
        { "Azure SAS", "url: https://prod.blob.core.windows.net/c?sv=2022-11-02&sig=" + FakeCredentials.Base64(44), "Azure shared access signature" },
        { "Azure client secret", "AZURE_CLIENT_SECRET: " + FakeCredentials.Make("", 3) + "8Q~" + FakeCredentials.Make("", 34, seed: 5), "Azure AD client secret" },
        { "RSA key", "-----BEGIN RSA PRIVATE KEY-----", "private key block" },
        { "OpenSSH key", "-----BEGIN OPENSSH PRIVATE KEY-----", "private key block" },
        { "Anthropic", "ANTHROPIC_API_KEY=" + FakeCredentials.Make("sk-ant-api03-", 93), "Anthropic API key" },
        { "OpenAI project", "OPENAI_API_KEY=" + FakeCredentials.Make("sk-proj-", 64), "OpenAI API key" },
        { "OpenAI legacy", "openai.api_key = \"sk-" + FakeCredentials.Make("", 20) + "T3BlbkFJ" + FakeCredentials.Make("", 20, seed: 9) + "\"", "OpenAI API key" },
        { "generic", "  db_password: " + FakeCredentials.Make("", 24, seed: 13), "high-entropy value assigned to a secret-like name" },
        { "generic JSON", "{\"stripeApiKey\": \"" + FakeCredentials.Make("", 32, seed: 17) + "\"}", "high-entropy value assigned to a secret-like name" },
    };

    [Theory]
    [MemberData(nameof(Credentials))]
    public void Each_kind_of_credential_is_found_with_file_and_line(string kind, string line, string description)
    {
        var result = new SecretScanner().ScanDiff(Diff("config/settings.yml", "harmless: true", line));

        result.Findings.ShouldBe([new SecretFinding("config/settings.yml", 12, result.Findings.Single().RuleId, description)], kind);
        result.IsClean.ShouldBeFalse();
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public void No_finding_and_no_comment_repeats_the_value(string kind, string line, string description)
    {
        _ = description;
        var result = new SecretScanner().ScanDiff(Diff("a.txt", line));
        var value = line.Split(' ', '=', '"', '\'', ':').MaxBy(part => part.Length)!;

        foreach (var finding in result.Findings)
        {
            finding.ToString().ShouldNotContain(value, Case.Sensitive, kind);
            finding.Description.ShouldNotContain(value);
            finding.RuleId.ShouldNotContain(value);
            finding.Path.ShouldNotContain(value);
        }
        result.BlockedPushComment().ShouldNotContain(value);
        result.Findings.ShouldNotBeEmpty(kind);
    }

    [Fact]
    public void The_nodes_own_secrets_are_found_as_written_and_base64_encoded_and_named_as_such()
    {
        var nodeToken = FakeCredentials.Make("", 30, seed: 21);
        var encoded = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(nodeToken));
        var scanner = new SecretScanner([nodeToken, "short", null]);

        var result = scanner.ScanDiff(Diff("notes.md", $"debug: {nodeToken}", "ok", $"Authorization: Basic {encoded}"));

        result.Findings.ShouldBe(
        [
            new SecretFinding("notes.md", 11, "node-secret", "a secret configured on this node"),
            new SecretFinding("notes.md", 13, "node-secret", "a secret configured on this node"),
        ]);
        result.Findings.ShouldAllBe(f => !f.ToString().Contains(nodeToken) && !f.ToString().Contains(encoded));
    }

    [Fact]
    public void Only_added_lines_count_with_new_file_line_numbers_across_hunks_and_files()
    {
        var pat = FakeCredentials.Make("ghp_", 36);
        var diff = $"""
            diff --git a/src/old.cs b/src/old.cs
            --- a/src/old.cs
            +++ b/src/old.cs
            @@ -1,3 +1,2 @@
             line 1
            -var token = "{pat}";
             line 3
            @@ -20,2 +19,3 @@
             line 19
            +++var leaked = "{pat}";
             line 21
            diff --git a/deploy/new.env b/deploy/new.env
            new file mode 100644
            --- /dev/null
            +++ b/deploy/new.env
            @@ -0,0 +1,2 @@
            +A=1
            +GITHUB_TOKEN={pat}
            diff --git a/gone.txt b/gone.txt
            deleted file mode 100644
            --- a/gone.txt
            +++ /dev/null
            @@ -1 +0,0 @@
            -{pat}
            """;

        var result = new SecretScanner().ScanDiff(diff);

        result.Findings.Select(f => f.ToString()).ShouldBe(
        [
            "src/old.cs:20: GitHub personal access token (ghp_)",
            "deploy/new.env:2: GitHub personal access token (ghp_)",
        ]);
    }

    [Fact]
    public void Binary_files_and_quoted_paths_are_reported_by_their_real_names()
    {
        var diff = """
            diff --git a/img/logo.png b/img/logo.png
            Binary files a/img/logo.png and b/img/logo.png differ
            diff --git "a/caf\303\251.env" "b/caf\303\251.env"
            --- /dev/null
            +++ "b/caf\303\251.env"
            @@ -0,0 +1 @@
            +-----BEGIN EC PRIVATE KEY-----
            """;

        var result = new SecretScanner().ScanDiff(diff);

        result.UnscannedBinaryFiles.ShouldBe(["img/logo.png"]);
        result.Findings.Select(f => f.ToString()).ShouldBe(["café.env:1: private key block"]);
    }

    [Theory]
    [InlineData("password: ${{ secrets.DB_PASSWORD }}")]
    [InlineData("api_key = os.environ[\"API_KEY\"]")]
    [InlineData("token: process.env.GITHUB_TOKEN_FOR_CI")]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("aws_access_key_id = AKIAIOSFODNN7EXAMPLE")]
    [InlineData("password = \"correct-horse-battery-staple\"")]
    [InlineData("token: xxxxxxxxxxxxxxxxxxxxxxxx1")]
    [InlineData("// See https://docs.github.com/en/authentication for ghp_ tokens")]
    [InlineData("sha256: 3a7bd3e2360a3d29eea436fcfb7e44c735d117c42d1c1835420b6b9942dd4f1b")]
    public void Placeholders_references_and_ordinary_text_are_not_findings(string line)
    {
        new SecretScanner().ScanDiff(Diff("x.yml", line)).Findings.ShouldBeEmpty();
    }

    [Fact]
    public void Commit_messages_are_scanned_as_text_with_a_label()
    {
        var findings = new SecretScanner().ScanText("commit message", "Fix login\n\nused token " + FakeCredentials.Make("ghs_", 36));

        findings.ShouldBe([new SecretFinding("commit message", 3, "github-token", "GitHub App installation token (ghs_)")]);
    }

    [Fact]
    public void The_blocked_push_comment_names_file_line_and_kind()
    {
        var result = new SecretScanner().ScanDiff(Diff("app/.env", "SECRET=" + FakeCredentials.Make("sk-ant-api03-", 90)));

        result.BlockedPushComment().ShouldBe("""
            AgentMesh did not push this run: its changes contain what look like credentials.

            - `app/.env` line 11: Anthropic API key

            If a credential is real, revoke it: the branch was not pushed, but the agent saw it. Remove it from the files and re-run the job, or stop the job.
            """);
    }
}
