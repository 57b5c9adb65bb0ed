namespace AgentMesh.Dashboard;

/// <summary>Dashboard settings (section <c>Dashboard</c>).</summary>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>How long the console's first-run sign-in link stays valid if unused. Default 24 hours.</summary>
    public TimeSpan ConsoleLinkLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long a sign-in link an admin makes for someone stays valid if unused. Default 1 hour.</summary>
    public TimeSpan InviteLinkLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long a sign-in lasts without use. Default 12 hours.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(12);

    /// <summary>GitHub's web address for issue and pull request links; defaults to <c>GitHub:GitBaseAddress</c>, else https://github.com/.</summary>
    public Uri GitHubWebAddress { get; set; } = new("https://github.com/");

    /// <summary>GitHub sign-in; off unless its client id and secret are set.</summary>
    public Auth.GitHubOAuthOptions GitHubOAuth { get; set; } = new();

    /// <summary>Problems with the settings, each naming its key; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (ConsoleLinkLifetime <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:{nameof(ConsoleLinkLifetime)} must be positive (was {ConsoleLinkLifetime}).");
        }
        if (InviteLinkLifetime <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:{nameof(InviteLinkLifetime)} must be positive (was {InviteLinkLifetime}).");
        }
        if (SessionLifetime <= TimeSpan.Zero)
        {
            problems.Add($"{SectionName}:{nameof(SessionLifetime)} must be positive (was {SessionLifetime}).");
        }
        problems.AddRange(GitHubOAuth.Validate());
        return problems;
    }

    /// <summary>The issue's page on GitHub.</summary>
    public Uri IssueUrl(string repo, int number) => new(GitHubWebAddress, $"{repo}/issues/{number}");
}
