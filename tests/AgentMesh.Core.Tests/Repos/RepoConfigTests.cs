using AgentMesh.Core.Repos;
using Shouldly;

namespace AgentMesh.Core.Tests.Repos;

public sealed class RepoConfigTests
{
    [Fact]
    public void Defaults_are_disabled_label_and_mention_agentmesh_two_jobs_three_fix_rounds_unlimited_budgets()
    {
        var config = new RepoConfig();

        (config.Enabled, config.AutoSolve, config.TriggerLabel, config.TriggerMention).ShouldBe((false, false, "agentmesh", "@agentmesh"));
        (config.AgentProfile, config.MaxConcurrentJobs, config.MaxFixRounds).ShouldBe((null, 2, 3));
        (config.HourlyTokenBudget, config.DailyTokenBudget).ShouldBe((null, null));
        config.Validate().ShouldBeEmpty();
    }

    [Fact]
    public void Validate_lists_every_problem_with_an_exact_message()
    {
        var config = new RepoConfig
        {
            TriggerLabel = " ",
            TriggerMention = "agentmesh",
            IncludeLabels = ["docs", ""],
            ExcludeLabels = ["DOCS"],
            AllowedUsers = [" "],
            AgentProfile = "",
            MaxConcurrentJobs = 0,
            HourlyTokenBudget = 2_000,
            DailyTokenBudget = 1_000,
            MaxFixRounds = 51,
        };

        config.Validate().ShouldBe(
        [
            "TriggerLabel must be null or a non-blank label.",
            "TriggerMention must be null or '@' followed by a login (was \"agentmesh\").",
            "IncludeLabels must not contain blank entries.",
            "AllowedUsers must not contain blank entries.",
            "Labels cannot be both included and excluded: docs.",
            "AgentProfile must be null (the node's default profile) or name an agent profile.",
            "MaxConcurrentJobs must be between 1 and 100 (was 0).",
            "HourlyTokenBudget (2000) must not exceed DailyTokenBudget (1000).",
            "MaxFixRounds must be between 0 and 50 (was 51).",
        ]);
    }

    [Fact]
    public void A_trigger_label_that_is_also_excluded_and_non_positive_budgets_are_refused()
    {
        var config = new RepoConfig { ExcludeLabels = ["AgentMesh"], HourlyTokenBudget = 0, DailyTokenBudget = -5 };

        config.Validate().ShouldBe(
        [
            "TriggerLabel \"agentmesh\" is also an excluded label, so it could never trigger.",
            "HourlyTokenBudget must be positive or null for unlimited (was 0).",
            "DailyTokenBudget must be positive or null for unlimited (was -5).",
        ]);
        Should.Throw<InvalidConfigurationException>(() => config.EnsureValid()).Problems.Count.ShouldBe(3);
    }
}
