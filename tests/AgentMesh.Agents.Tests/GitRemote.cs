using AgentMesh.Agents.Workspaces;
using AgentMesh.Testing;

namespace AgentMesh.Agents.Tests;

/// <summary>A real bare repository standing in for GitHub, with a seed clone to make commits in.</summary>
internal sealed class GitRemote
{
    public static readonly IReadOnlyDictionary<string, string> Identity = new Dictionary<string, string>
    {
        ["GIT_AUTHOR_NAME"] = "Seed Person",
        ["GIT_AUTHOR_EMAIL"] = "seed@example.com",
        ["GIT_COMMITTER_NAME"] = "Seed Person",
        ["GIT_COMMITTER_EMAIL"] = "seed@example.com",
    };

    private readonly Git _git = new();

    private GitRemote(string bare, string seed)
    {
        BarePath = bare;
        SeedPath = seed;
    }

    public string BarePath { get; }

    public string SeedPath { get; }

    public static async Task<GitRemote> CreateAsync(TempDirectory temp)
    {
        var bare = temp.Combine("remote.git");
        var seed = temp.Combine("seed");
        var git = new Git();
        Directory.CreateDirectory(bare);
        Directory.CreateDirectory(seed);
        await git.RunAsync(bare, ["init", "--bare", "--quiet", "--initial-branch=main"]);
        await git.RunAsync(seed, ["init", "--quiet", "--initial-branch=main"]);
        await git.RunAsync(seed, ["remote", "add", "origin", bare]);
        var remote = new GitRemote(bare, seed);
        await remote.CommitAsync("README.md", "# demo\n", "Initial commit");
        await git.RunAsync(seed, ["push", "--quiet", "origin", "main"]);
        return remote;
    }

    public async Task CommitAsync(string file, string content, string message)
    {
        await File.WriteAllTextAsync(Path.Combine(SeedPath, file), content);
        await _git.RunAsync(SeedPath, ["add", "--all"]);
        await _git.RunAsync(SeedPath, ["commit", "--quiet", "-m", message], Identity);
    }

    public Task<string> RunAsync(params string[] args) => _git.RunAsync(SeedPath, args, Identity);

    public async Task<string> RemoteAsync(params string[] args) => (await _git.RunAsync(BarePath, args)).Trim();
}
