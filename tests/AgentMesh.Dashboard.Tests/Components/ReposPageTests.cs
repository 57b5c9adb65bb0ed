using AgentMesh.Core.Repos;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Pages;
using AgentMesh.Dashboard.Repos;
using AgentMesh.Dashboard.Tests.Support;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class ReposPageTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private readonly RecordingRepoSettings _settings = new();
    private readonly RecordingRepoConnector _connector = new();

    public ReposPageTests()
    {
        Services.AddSingleton<IRepoSettings>(_settings);
        Services.AddSingleton<IRepoConnector>(_connector);
        _settings.Add("octo/widgets", new RepoConfig { Enabled = true, HourlyTokenBudget = 5_000 }, tokensThisHour: 1_200, tokensToday: 3_400);
        _settings.Add("octo/gadgets", new RepoConfig());
    }

    [Fact]
    public void The_list_shows_each_repo_with_its_status_and_token_use()
    {
        var cut = Render<ReposPage>();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-row]").Count.ShouldBe(2), Wait);
        Row(cut, "octo/widgets").QuerySelector("[data-testid=repo-status]")!.TextContent.ShouldBe("enabled");
        Row(cut, "octo/widgets").QuerySelector("[data-testid=repo-hour]")!.TextContent.ShouldBe("1,200 of 5,000");
        Row(cut, "octo/widgets").QuerySelector("[data-testid=repo-day]")!.TextContent.ShouldBe("3,400");
        Row(cut, "octo/gadgets").QuerySelector("[data-testid=repo-status]")!.TextContent.ShouldBe("disabled");
        cut.FindAll("[data-testid=read-only]").ShouldBeEmpty();
    }

    [Fact]
    public async Task A_viewer_sees_no_controls_and_a_change_sent_anyway_is_refused()
    {
        SignInAs(DashboardRoles.Viewer);
        var cut = Render<ReposPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-row]").Count.ShouldBe(2), Wait);

        cut.Find("[data-testid=read-only]");
        cut.FindAll("[data-testid=repo-toggle]").ShouldBeEmpty();
        cut.FindAll("[data-testid=repo-edit]").ShouldBeEmpty();
        cut.FindAll("[data-testid=connect-open]").ShouldBeEmpty();

        var widgets = (await _settings.ListAsync(default)).Single(r => r.Repo == "octo/widgets");
        await cut.InvokeAsync(() => cut.Instance.ToggleAsync(widgets));
        await cut.InvokeAsync(() => cut.Instance.OpenConnectAsync());
        await cut.InvokeAsync(() => cut.Instance.ConnectAsync("octo/widgets"));

        _settings.Calls.ShouldBeEmpty();
        _connector.Calls.ShouldBeEmpty();
        _settings.ConfigOf("octo/widgets").Enabled.ShouldBeTrue();
        Services.GetService<ISnackbar>()!.ShownSnackbars.Select(s => s.Message).Distinct().ShouldBe(["Your role can see repositories but not change them."]);
    }

    [Fact]
    public void The_editor_shows_the_admin_APIs_validation_message_for_a_bad_value_and_saves_nothing()
    {
        var cut = Render<ReposPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-edit]").Count.ShouldBe(2), Wait);

        Row(cut, "octo/widgets").QuerySelector("[data-testid=repo-edit]")!.Click();
        cut.Find("input[data-testid=edit-max-concurrent]").Change("0");
        cut.Find("[data-testid=editor-save]").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=editor-error]").TextContent.ShouldBe(
            "The configuration of octo/widgets is invalid: MaxConcurrentJobs must be between 1 and 100 (was 0)."), Wait);
        _settings.ConfigOf("octo/widgets").MaxConcurrentJobs.ShouldBe(2);
        cut.Find("[data-testid=repo-editor]");
    }

    [Fact]
    public void The_editor_saves_every_setting_and_closes()
    {
        var cut = Render<ReposPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-edit]").Count.ShouldBe(2), Wait);

        Row(cut, "octo/gadgets").QuerySelector("[data-testid=repo-edit]")!.Click();
        cut.Find("input[data-testid=edit-max-concurrent]").Change("4");
        cut.Find("input[data-testid=edit-daily-budget]").Change("90000");
        cut.Find("input[data-testid=edit-exclude-labels]").Change("wontfix, question");
        cut.Find("input[data-testid=edit-trigger-label]").Change("");
        cut.Find("[data-testid=editor-save]").Click();

        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-editor]").ShouldBeEmpty(), Wait);
        var saved = _settings.ConfigOf("octo/gadgets");
        saved.MaxConcurrentJobs.ShouldBe(4);
        saved.DailyTokenBudget.ShouldBe(90_000);
        saved.ExcludeLabels.ShouldBe(["wontfix", "question"]);
        saved.TriggerLabel.ShouldBeNull();
        saved.TriggerMention.ShouldBe("@agentmesh");
        saved.ProtectedPaths.ShouldBeNull();
        _settings.Calls.ShouldBe(["save octo/gadgets by a-maintainer"]);
    }

    [Fact]
    public void A_maintainer_disables_a_repo_and_the_list_follows()
    {
        var cut = Render<ReposPage>();
        cut.WaitForAssertion(() => cut.FindAll("[data-testid=repo-toggle]").Count.ShouldBe(2), Wait);

        Row(cut, "octo/widgets").QuerySelector("[data-testid=repo-toggle]")!.Click();

        cut.WaitForAssertion(() => Row(cut, "octo/widgets").QuerySelector("[data-testid=repo-status]")!.TextContent.ShouldBe("disabled"), Wait);
        _settings.Calls.ShouldBe(["disable octo/widgets by a-maintainer"]);
    }

    [Fact]
    public void Connecting_lists_what_GitHub_shows_and_connects_with_this_nodes_webhook_address()
    {
        _connector.Visible.Add(new ConnectableRepo("octo/new", Private: true, InvitationPending: true, Configured: false));
        var cut = Render<ReposPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=connect-open]"), Wait);

        cut.Find("[data-testid=connect-open]").Click();
        cut.WaitForAssertion(() => cut.Find("[data-testid=connectable-repo]").TextContent.ShouldContain("invitation pending"), Wait);
        cut.Find("input[data-testid=connect-webhook]").GetAttribute("value").ShouldBe("http://localhost/webhooks/github");
        cut.Find("[data-testid=connect-repo]").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=connect-result]").TextContent.ShouldBe(
            "Connected octo/new: webhook 4242 delivers to http://localhost/webhooks/github; the invitation was accepted."), Wait);
        _connector.Calls.ShouldBe(["connect octo/new to http://localhost/webhooks/github by a-maintainer"]);
    }

    [Fact]
    public void GitHub_out_of_reach_is_said_on_the_page_and_the_page_lives_on()
    {
        Services.AddSingleton<IRepoConnector>(new UnreachableConnector());
        var cut = Render<ReposPage>();
        cut.WaitForAssertion(() => cut.Find("[data-testid=connect-open]"), Wait);

        cut.Find("[data-testid=connect-open]").Click();

        cut.WaitForAssertion(() => cut.Find("[data-testid=connect-error]").TextContent.ShouldBe(
            "GitHub could not be asked for repositories: Connection refused (api.github.example:443)"), Wait);
        cut.FindAll("[data-testid=repo-row]").Count.ShouldBe(2);
    }

    private sealed class UnreachableConnector : IRepoConnector
    {
        public Task<ConnectableRepos> ListAsync(CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (api.github.example:443)");

        public Task<RepoConnectResult> ConnectAsync(string repo, Uri webhookUrl, string actor, CancellationToken cancellationToken) =>
            throw new HttpRequestException("Connection refused (api.github.example:443)");
    }

    private static AngleSharp.Dom.IElement Row(IRenderedComponent<ReposPage> cut, string repo) =>
        cut.Find($"[data-testid=repo-row][data-repo='{repo}']");
}
