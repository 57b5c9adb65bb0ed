using AgentMesh.Guardrails.ProtectedPaths;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.ProtectedPaths;

public sealed class ProtectedPathMatcherTests
{
    [Theory]
    [InlineData(".github/workflows/ci.yml", true)]
    [InlineData(".github/workflows/nested/deploy.yaml", true)]
    [InlineData("./.github/workflows/ci.yml", true)]
    [InlineData(".GitHub/Workflows/ci.yml", true)]
    [InlineData(".github/dependabot.yml", false)]
    [InlineData("docs/.github/workflows-guide.md", false)]
    [InlineData("src/.github/workflows/ci.yml", false)]
    [InlineData("README.md", false)]
    public void The_default_protects_workflow_files_at_the_root_only(string path, bool protectedPath)
    {
        var hits = new ProtectedPathMatcher().Match([path]);

        hits.Count.ShouldBe(protectedPath ? 1 : 0);
    }

    [Theory]
    [InlineData("*.pem", "certs/prod/server.pem", true)]
    [InlineData("*.pem", "server.pem.txt", false)]
    [InlineData("/Dockerfile", "Dockerfile", true)]
    [InlineData("/Dockerfile", "app/Dockerfile", false)]
    [InlineData("deploy/", "deploy/k8s/app.yaml", true)]
    [InlineData("deploy/", "deployment.md", false)]
    [InlineData("src/*/secrets.json", "src/api/secrets.json", true)]
    [InlineData("src/*/secrets.json", "src/api/v2/secrets.json", false)]
    [InlineData("src/**/secrets.json", "src/secrets.json", true)]
    [InlineData("src/**/secrets.json", "src/api/v2/secrets.json", true)]
    [InlineData("CODEOWNERS", ".github/CODEOWNERS", true)]
    [InlineData("scripts/release-?.sh", "scripts/release-1.sh", true)]
    [InlineData("scripts/release-?.sh", "scripts/release-10.sh", false)]
    public void Patterns_follow_gitignore_shapes(string pattern, string path, bool matches)
    {
        new PathGlob(pattern).IsMatch(path).ShouldBe(matches);
    }

    [Fact]
    public void Match_names_each_protected_path_once_with_the_pattern_it_matched()
    {
        var matcher = new ProtectedPathMatcher([".github/workflows/**", "*.pem"]);

        var hits = matcher.Match(["src/app.cs", ".github/workflows/ci.yml", "keys/dev.pem", ".github/workflows/ci.yml"]);

        hits.ShouldBe([new ProtectedPathHit(".github/workflows/ci.yml", ".github/workflows/**"), new ProtectedPathHit("keys/dev.pem", "*.pem")]);
    }

    [Fact]
    public void An_empty_list_protects_nothing()
    {
        new ProtectedPathMatcher([]).Match([".github/workflows/ci.yml"]).ShouldBeEmpty();
    }

    [Fact]
    public void A_blank_pattern_is_refused()
    {
        Should.Throw<ArgumentException>(() => new ProtectedPathMatcher(["  "]));
    }

    [Fact]
    public void The_approval_request_lists_the_paths_and_the_command()
    {
        var text = ProtectedPathMatcher.ApprovalRequestComment([new ProtectedPathHit(".github/workflows/ci.yml", ".github/workflows/**")]);

        text.ShouldBe("""
            This run changed protected paths, so AgentMesh has not pushed it:

            - `.github/workflows/ci.yml` (protected by `.github/workflows/**`)

            Someone with write access can comment `@agentmesh approve` to push it and open the pull request, or stop the job.
            """);
    }

    [Fact]
    public void The_bots_own_approval_request_does_not_approve_itself()
    {
        var text = ProtectedPathMatcher.ApprovalRequestComment([new ProtectedPathHit("a.pem", "*.pem")]);

        new ApprovalCommandParser().ContainsApproval(text).ShouldBeFalse();
    }
}
