using AgentMesh.Core.Tenants;
using AgentMesh.Dashboard.Auth;
using AgentMesh.Dashboard.Components.Board;
using AgentMesh.Dashboard.Jobs;
using AgentMesh.Dashboard.Tests.Support;
using Bunit;
using MudBlazor;
using Shouldly;
using Xunit;

namespace AgentMesh.Dashboard.Tests.Components;

public sealed class CreateJobDialogTests : DashboardContext
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_maintainer_opens_an_issue_from_repo_title_and_description()
    {
        var (cut, dialogs) = Open();

        dialogs.Find("[data-testid=create-repo] input, input[data-testid=create-repo]").Input("octo/widgets");
        dialogs.Find("[data-testid=create-title] input, input[data-testid=create-title]").Input("Add a hello file");
        dialogs.Find("[data-testid=create-body] textarea, textarea[data-testid=create-body]").Input("It says hello.");
        dialogs.Find("[data-testid=create-open-issue]").Click();

        dialogs.WaitForAssertion(() => Creation.Calls.ShouldBe(["new octo/widgets: Add a hello file / It says hello. by a-maintainer"]), Wait);
        dialogs.WaitForAssertion(() => dialogs.FindAll("[data-testid=create-job-dialog]").ShouldBeEmpty(), Wait);
        Services.GetService<ISnackbar>()!.ShownSnackbars.Select(s => s.Message).ShouldBe(["Job for octo/widgets#7 created."]);
    }

    [Fact]
    public void An_issue_address_names_the_repo_and_number_and_a_bad_one_says_what_is_expected()
    {
        var (_, dialogs) = Open();

        dialogs.Find("[data-testid=create-issue-url] input, input[data-testid=create-issue-url]").Input("https://github.com/octo/widgets/pull/3");
        dialogs.Find("[data-testid=create-from-issue]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=create-error]").TextContent.ShouldBe(
            "'https://github.com/octo/widgets/pull/3' is not an issue address: expected https://github.com/OWNER/REPO/issues/N."), Wait);

        dialogs.Find("[data-testid=create-issue-url] input, input[data-testid=create-issue-url]").Input("https://ghe.example/prefix/octo/widgets/issues/12#issuecomment-1");
        dialogs.Find("[data-testid=create-from-issue]").Click();
        dialogs.WaitForAssertion(() => Creation.Calls.ShouldBe(["issue octo/widgets#12 by a-maintainer"]), Wait);
    }

    [Fact]
    public void A_tenant_member_cannot_start_work_in_another_tenants_repo()
    {
        Tenants.Add(TenantRules.AssignRepo(new TenantState { Account = "acme" }, "acme/widgets"));
        SignInAs(DashboardRoles.Maintainer, "acme");
        var (_, dialogs) = Open();

        dialogs.Find("[data-testid=create-repo] input, input[data-testid=create-repo]").Input("globex/tools");
        dialogs.Find("[data-testid=create-title] input, input[data-testid=create-title]").Input("Sneak in");
        dialogs.Find("[data-testid=create-open-issue]").Click();

        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=create-error]").TextContent.ShouldBe("Repo globex/tools is not one of your tenant's repos."), Wait);
        Creation.Calls.ShouldBeEmpty();
    }

    [Fact]
    public void A_viewer_has_no_new_job_button()
    {
        SignInAs(DashboardRoles.Viewer);

        var cut = Render<CreateJobDialog>();

        cut.FindAll("[data-testid=new-job]").ShouldBeEmpty();
    }

    [Theory]
    [InlineData("https://github.com/octo/widgets/issues/12", "octo/widgets", 12)]
    [InlineData("http://127.0.0.1:5000/octo/widgets/issues/3/", "octo/widgets", 3)]
    public void Issue_addresses_parse_to_repo_and_number(string address, string repo, int number)
    {
        IssueReference.TryParse(address, out var issue, out _).ShouldBeTrue();
        issue.ShouldBe(new IssueReference(repo, number));
        IssueReference.TryParse("octo/widgets#12", out _, out var problem).ShouldBeFalse();
        problem.ShouldBe("'octo/widgets#12' is not an issue address: expected https://github.com/OWNER/REPO/issues/N.");
    }

    private (IRenderedComponent<CreateJobDialog> Cut, IRenderedComponent<MudDialogProvider> Dialogs) Open()
    {
        var dialogs = Render<MudDialogProvider>();
        var cut = Render<CreateJobDialog>();
        cut.Find("[data-testid=new-job]").Click();
        dialogs.WaitForAssertion(() => dialogs.Find("[data-testid=create-job-dialog]"), Wait);
        return (cut, dialogs);
    }
}
