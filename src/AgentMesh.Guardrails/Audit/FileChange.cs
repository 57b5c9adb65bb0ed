namespace AgentMesh.Guardrails.Audit;

/// <summary>One file a run changed, with its diff stats.</summary>
/// <param name="Path">The path after the change (for a deleted file, the path it had).</param>
/// <param name="OldPath">For a rename or copy: the path before; otherwise null.</param>
/// <param name="Added">Lines added; null for a binary file.</param>
/// <param name="Deleted">Lines deleted; null for a binary file.</param>
public sealed record FileChange(string Path, string? OldPath, int? Added, int? Deleted)
{
    /// <summary>True when git could not count lines (a binary file).</summary>
    public bool IsBinary => Added is null;

    /// <summary>Every path this change touches (both sides of a rename), for protected-path checks.</summary>
    public IEnumerable<string> Paths => OldPath is null ? [Path] : [OldPath, Path];
}
