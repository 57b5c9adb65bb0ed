using System.Text.RegularExpressions;

namespace AgentMesh.Guardrails.Secrets;

/// <summary>
/// The built-in credential rules, most specific first: when two rules match the same text the first one names it.
/// Formats follow the issuers' published shapes (GitHub's token prefixes, AWS key id prefixes, Google's "AIza"
/// and "GOCSPX-", Azure's "Q~" client secrets and 88-character storage keys, Anthropic's "sk-ant-",
/// OpenAI's "sk-proj-" and "T3BlbkFJ" marker).
/// </summary>
internal static class SecretRules
{
    /// <summary>The smallest entropy (bits per character) a value next to a secret-like name needs to count as a secret.</summary>
    public const double MinimumEntropy = 3.5;

    /// <summary>
    /// Every rule is linear on its input; the timeout is a backstop. When it fires, the scan throws and the caller must
    /// treat the run as not pushable (failing closed), never as clean.
    /// </summary>
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static IReadOnlyList<SecretRule> BuiltIn { get; } =
    [
        Rule("private-key", "private key block", @"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----"),
        Rule("github-token", "GitHub personal access token (ghp_)", @"\bghp_[A-Za-z0-9]{36,251}\b"),
        Rule("github-token", "GitHub OAuth access token (gho_)", @"\bgho_[A-Za-z0-9]{36,251}\b"),
        Rule("github-token", "GitHub user-to-server token (ghu_)", @"\bghu_[A-Za-z0-9]{36,251}\b"),
        Rule("github-token", "GitHub App installation token (ghs_)", @"\bghs_[A-Za-z0-9]{36,251}\b"),
        Rule("github-token", "GitHub refresh token (ghr_)", @"\bghr_[A-Za-z0-9]{36,251}\b"),
        Rule("github-token", "GitHub fine-grained personal access token (github_pat_)", @"\bgithub_pat_[A-Za-z0-9_]{60,251}\b"),
        Rule("aws-access-key-id", "AWS access key id", @"\b(?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z0-9]{16}\b", NotDocumentationExample),
        Rule("aws-secret-access-key", "AWS secret access key",
            @"(?i)aws_?secret_?(?:access_?)?key[""']?\s*(?::=|=>|[:=])\s*[""']?(?<value>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])",
            NotDocumentationExample),
        Rule("gcp-api-key", "Google Cloud API key", @"\bAIza[0-9A-Za-z_\-]{35}(?![0-9A-Za-z_\-])"),
        Rule("gcp-oauth-client-secret", "Google OAuth client secret", @"\bGOCSPX-[A-Za-z0-9_\-]{28}"),
        Rule("azure-storage-key", "Azure storage account key", @"(?i)AccountKey=(?<value>[A-Za-z0-9+/]{86}==)"),
        Rule("azure-sas-signature", "Azure shared access signature", @"(?i)[?&;]sig=(?<value>[A-Za-z0-9%+/=]{40,})"),
        Rule("azure-client-secret", "Azure AD client secret",
            @"(?<![A-Za-z0-9_~.\-])[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.\-]{31,34}(?![A-Za-z0-9_~.\-])"),
        Rule("anthropic-key", "Anthropic API key", @"\bsk-ant-(?:api|admin|oat|ort)\d{2}-[A-Za-z0-9_\-]{20,}"),
        Rule("openai-key", "OpenAI API key", @"\bsk-(?:proj|svcacct|admin)-[A-Za-z0-9_\-]{40,}"),
        Rule("openai-key", "OpenAI API key", @"\bsk-(?!ant-)[A-Za-z0-9_\-]{20,100}T3BlbkFJ[A-Za-z0-9_\-]{20,}", literal: "T3BlbkFJ"),
        Rule("slack-token", "Slack token", @"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
        new SecretRule("high-entropy-assignment", "high-entropy value assigned to a secret-like name",
            new Regex(
                @"(?i)(?:secret|token|passw(?:or)?d|pwd|api[_\-]?key|access[_\-]?key|private[_\-]?key|credential|auth)[A-Za-z0-9_.\-]{0,40}[""']?\s*(?::=|=>|[:=])\s*[""'`]?(?<value>[A-Za-z0-9+/=_\-.~]{16,})",
                RegexOptions.CultureInvariant, Timeout),
            LooksRandom),
    ];

    /// <summary>
    /// A random credential has a high entropy and mixes letters and digits; a variable name, a URL path or a word
    /// ("process.env.API_TOKEN", "changeme-in-production") does not.
    /// </summary>
    internal static bool LooksRandom(string value) =>
        ShannonEntropy.BitsPerCharacter(value) >= MinimumEntropy
        && value.Any(char.IsAsciiDigit)
        && value.Any(char.IsAsciiLetter)
        && !value.Contains("example", StringComparison.OrdinalIgnoreCase)
        && !value.Contains("xxxx", StringComparison.OrdinalIgnoreCase);

    /// <summary>AWS's documentation keys (AKIAIOSFODNN7EXAMPLE, wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY) appear in real code and configs.</summary>
    private static bool NotDocumentationExample(string value) => !value.Contains("EXAMPLE", StringComparison.Ordinal);

    private static SecretRule Rule(string id, string description, string pattern, Func<string, bool>? accept = null, string? literal = null) =>
        new(id, description, new Regex(pattern, RegexOptions.CultureInvariant, Timeout), accept, literal);
}
