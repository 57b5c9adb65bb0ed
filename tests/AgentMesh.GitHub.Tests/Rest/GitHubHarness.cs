using AgentMesh.FakeGitHub;
using AgentMesh.GitHub.Rest;
using AgentMesh.Testing;

namespace AgentMesh.GitHub.Tests.Rest;

/// <summary>A fake GitHub with one repository and a token, and a client factory pointed at it, sharing one fake clock.</summary>
public sealed class GitHubHarness : IAsyncDisposable
{
    /// <summary>A per-attempt timeout no retry delay will equal, so its timers can be told apart.</summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromMinutes(17);

    private GitHubHarness(FakeGitHubServer github, RecordingTimeProvider time, GitHubClientOptions options, string token)
    {
        GitHub = github;
        Time = time;
        Options = options;
        Token = token;
        Factory = new GitHubClientFactory(options, time);
        Client = Factory.ForToken(token);
    }

    public FakeGitHubServer GitHub { get; }

    public RecordingTimeProvider Time { get; }

    public GitHubClientOptions Options { get; }

    public string Token { get; }

    public GitHubClientFactory Factory { get; }

    public GitHubClient Client { get; }

    public static async Task<GitHubHarness> StartAsync(Action<GitHubClientOptions>? configure = null)
    {
        var time = new RecordingTimeProvider(new FakeTimeProvider(new DateTimeOffset(2026, 11, 21, 9, 0, 0, TimeSpan.Zero)));
        var github = await FakeGitHubServer.StartAsync(time.Clock);
        github.CreateRepo("octo", "widgets");
        var token = github.CreateToken("octo");
        var options = new GitHubClientOptions { BaseAddress = github.ApiBaseAddress, AttemptTimeout = AttemptTimeout };
        configure?.Invoke(options);
        return new GitHubHarness(github, time, options, token);
    }

    public async ValueTask DisposeAsync()
    {
        Factory.Dispose();
        await GitHub.DisposeAsync();
    }
}
