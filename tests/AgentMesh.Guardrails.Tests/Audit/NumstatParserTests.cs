using AgentMesh.Guardrails.Audit;
using AgentMesh.Guardrails.ProtectedPaths;
using Shouldly;

namespace AgentMesh.Guardrails.Tests.Audit;

public sealed class NumstatParserTests
{
    [Theory]
    [InlineData("1\t1\told.txt => new.txt", "old.txt", "new.txt")]
    [InlineData("0\t0\tsrc/{a => b}/x.cs", "src/a/x.cs", "src/b/x.cs")]
    [InlineData("0\t0\t{ => sub}/x.cs", "x.cs", "sub/x.cs")]
    [InlineData("0\t0\tdir/{sub => }/x.cs", "dir/sub/x.cs", "dir/x.cs")]
    public void Renames_give_both_paths(string line, string oldPath, string newPath)
    {
        var change = NumstatParser.Parse(line).Single();

        change.OldPath.ShouldBe(oldPath);
        change.Path.ShouldBe(newPath);
        change.Paths.ShouldBe([oldPath, newPath]);
    }

    [Fact]
    public void Moving_a_workflow_out_of_the_protected_folder_still_touches_it()
    {
        var changes = NumstatParser.Parse("0\t0\t.github/{workflows => disabled}/deploy.yml\n");

        new ProtectedPathMatcher().Match(changes.SelectMany(c => c.Paths))
            .ShouldBe([new ProtectedPathHit(".github/workflows/deploy.yml", ".github/workflows/**")]);
    }

    [Fact]
    public void A_line_that_is_not_numstat_is_an_error_naming_it()
    {
        Should.Throw<FormatException>(() => NumstatParser.Parse("fatal: bad revision 'HEAD~3'"))
            .Message.ShouldBe("Not a line of git diff --numstat output: \"fatal: bad revision 'HEAD~3'\".");
    }
}
