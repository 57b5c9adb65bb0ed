namespace AgentMesh.Grains;

/// <summary>
/// Grain state that is one of Core's records in Core's own JSON form (<c>CoreJson</c>): Core stays
/// free of storage attributes, and what a grain stores reads back exactly as the store's rows did.
/// </summary>
public sealed class JsonStateHolder
{
    public string? Json { get; set; }
}
