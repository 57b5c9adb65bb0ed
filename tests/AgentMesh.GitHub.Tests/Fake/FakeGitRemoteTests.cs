using System.Diagnostics;
using System.Text;
using AgentMesh.FakeGitHub;
using AgentMesh.Testing;
using Shouldly;

namespace AgentMesh.GitHub.Tests.Fake;

/// <summary>The fake's smart-HTTP remote is real git (git http-backend): clone, commit and push with a token header.</summary>
public sealed class FakeGitRemoteTests : IAsyncLifetime, IDisposable
{
    private readonly TempDirectory _work = new("agentmesh-git-test");
    private FakeGitHubServer _github = null!;
    private string _token = null!;

    public async Task InitializeAsync()
    {
        _github = await FakeGitHubServer.StartAsync();
        _github.CreateRepo("octo", "widgets");
        _token = _github.CreateToken("octo");
    }

    public async Task DisposeAsync() => await _github.DisposeAsync();

    public void Dispose() => _work.Dispose();

    [Fact]
    public async Task Clone_commit_and_push_with_the_token_in_an_extra_header_lands_in_the_bare_repo()
    {
        var clone = _work.Combine("clone");
        var auth = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:" + _token));

        (await Git(_work.Path, auth, "clone", _github.GitUrl("octo/widgets").AbsoluteUri, clone)).ExitCode.ShouldBe(0);
        await File.WriteAllTextAsync(Path.Combine(clone, "README.md"), "hello\n");
        (await Git(clone, null, "add", "README.md")).ExitCode.ShouldBe(0);
        (await Git(clone, null, "commit", "-m", "first")).ExitCode.ShouldBe(0);
        (await Git(clone, null, "checkout", "-b", "agentmesh/issue-1")).ExitCode.ShouldBe(0);
        var push = await Git(clone, auth, "push", "origin", "agentmesh/issue-1");
        var local = (await Git(clone, null, "rev-parse", "HEAD")).Output.Trim();
        var remote = (await Git(_github.State.Repositories["octo/widgets"].GitDirectory, null, "rev-parse", "refs/heads/agentmesh/issue-1")).Output.Trim();

        push.ExitCode.ShouldBe(0, push.Output);
        remote.ShouldBe(local);
        _github.State.Repositories["octo/widgets"].Branches.ShouldContain("agentmesh/issue-1");
        _github.Requests.Where(r => r.Path.EndsWith("git-receive-pack", StringComparison.Ordinal)).ShouldAllBe(r => r.Identity == "user:octo");
    }

    [Fact]
    public async Task A_bearer_header_also_authenticates()
    {
        var result = await Git(_work.Path, "Authorization: Bearer " + _token, "ls-remote", _github.GitUrl("octo/widgets").AbsoluteUri);

        result.ExitCode.ShouldBe(0, result.Output);
    }

    [Fact]
    public async Task Without_a_token_git_is_refused_with_401_and_a_basic_challenge()
    {
        var result = await Git(_work.Path, null, "ls-remote", _github.GitUrl("octo/widgets").AbsoluteUri);

        result.ExitCode.ShouldNotBe(0);
        // git asks for credentials only after a 401 with a Basic challenge; with prompts off it gives up.
        result.Output.ShouldContain("could not read Username");
        _github.Requests.ShouldAllBe(r => r.StatusCode == 401);
    }

    [Fact]
    public async Task A_wrong_token_is_refused()
    {
        var auth = "Authorization: Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("x-access-token:ghp_wrong"));

        var result = await Git(_work.Path, auth, "ls-remote", _github.GitUrl("octo/widgets").AbsoluteUri);

        result.ExitCode.ShouldNotBe(0);
    }

    /// <summary>
    /// Runs git with the header passed through GIT_CONFIG_COUNT/KEY/VALUE: the token is in neither the
    /// URL nor the argument list, where other users of the machine could read it.
    /// </summary>
    private async Task<(int ExitCode, string Output)> Git(string directory, string? authHeader, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["HOME"] = _work.Path;
        start.Environment["GIT_CONFIG_NOSYSTEM"] = "1";
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        start.Environment["GIT_AUTHOR_NAME"] = start.Environment["GIT_COMMITTER_NAME"] = "AgentMesh Test";
        start.Environment["GIT_AUTHOR_EMAIL"] = start.Environment["GIT_COMMITTER_EMAIL"] = "test@agentmesh.invalid";
        if (authHeader is not null)
        {
            start.Environment["GIT_CONFIG_COUNT"] = "1";
            start.Environment["GIT_CONFIG_KEY_0"] = "http.extraHeader";
            start.Environment["GIT_CONFIG_VALUE_0"] = authHeader;
        }
        start.ArgumentList.ShouldNotContain(a => a.Contains(_token, StringComparison.Ordinal));
        using var process = Process.Start(start) ?? throw new InvalidOperationException("git is not installed; run ./build.sh test, which installs it.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await Eventually.WithinAsync(process.WaitForExitAsync(), $"git {string.Join(' ', arguments)} to exit");
        return (process.ExitCode, await stdout + await stderr);
    }
}
