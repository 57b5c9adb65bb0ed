namespace AgentMesh.FakeGitHub.Model;

/// <summary>A repository and everything in it. Mutated only under <see cref="FakeGitHubState.Gate"/>.</summary>
public sealed class FakeRepository
{
    public required long Id { get; init; }

    public required FakeUser Owner { get; init; }

    public required string Name { get; init; }

    public string FullName => Owner.Login + "/" + Name;

    public bool Private { get; init; }

    public string DefaultBranch { get; init; } = "main";

    /// <summary>The bare git repository behind the smart-HTTP remote.</summary>
    public required string GitDirectory { get; init; }

    public List<FakeIssue> Issues { get; } = [];

    public List<FakeComment> Comments { get; } = [];

    public List<FakeLabel> Labels { get; } = [];

    public List<FakeHook> Hooks { get; } = [];

    /// <summary>Branches the API considers to exist: refreshed from the bare repository after each push, or added by tests.</summary>
    public HashSet<string> Branches { get; } = new(StringComparer.Ordinal);

    /// <summary>Collaborators by login with their role: admin, maintain, write, triage, read.</summary>
    public Dictionary<string, string> Collaborators { get; } = new(StringComparer.OrdinalIgnoreCase);

    public int NextNumber { get; set; } = 1;
}
