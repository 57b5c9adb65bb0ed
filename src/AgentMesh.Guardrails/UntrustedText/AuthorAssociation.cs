namespace AgentMesh.Guardrails.UntrustedText;

/// <summary>The author's relation to the repository, as GitHub reports it in <c>author_association</c>.</summary>
public enum AuthorAssociation
{
    /// <summary>No association, or one GitHub added that this code does not know (treated as the least trusted).</summary>
    None,

    /// <summary>Has not contributed to any repository on GitHub before.</summary>
    FirstTimer,

    /// <summary>Has not contributed to this repository before.</summary>
    FirstTimeContributor,

    /// <summary>A placeholder for an imported user.</summary>
    Mannequin,

    /// <summary>Has contributed to this repository before.</summary>
    Contributor,

    /// <summary>Invited to collaborate on the repository.</summary>
    Collaborator,

    /// <summary>A member of the organisation that owns the repository.</summary>
    Member,

    /// <summary>Owns the repository.</summary>
    Owner,
}

/// <summary>Converts between <see cref="AuthorAssociation"/> and GitHub's strings (<c>OWNER</c>, <c>FIRST_TIME_CONTRIBUTOR</c> …).</summary>
public static class AuthorAssociations
{
    /// <summary>Parses GitHub's value; null, empty or unknown values are <see cref="AuthorAssociation.None"/> so a new value never grants trust.</summary>
    public static AuthorAssociation Parse(string? value) => value?.Trim().ToUpperInvariant() switch
    {
        "OWNER" => AuthorAssociation.Owner,
        "MEMBER" => AuthorAssociation.Member,
        "COLLABORATOR" => AuthorAssociation.Collaborator,
        "CONTRIBUTOR" => AuthorAssociation.Contributor,
        "FIRST_TIME_CONTRIBUTOR" => AuthorAssociation.FirstTimeContributor,
        "FIRST_TIMER" => AuthorAssociation.FirstTimer,
        "MANNEQUIN" => AuthorAssociation.Mannequin,
        _ => AuthorAssociation.None,
    };

    /// <summary>GitHub's spelling of <paramref name="association"/>, e.g. <c>FIRST_TIME_CONTRIBUTOR</c>.</summary>
    public static string ToGitHubString(this AuthorAssociation association) => association switch
    {
        AuthorAssociation.Owner => "OWNER",
        AuthorAssociation.Member => "MEMBER",
        AuthorAssociation.Collaborator => "COLLABORATOR",
        AuthorAssociation.Contributor => "CONTRIBUTOR",
        AuthorAssociation.FirstTimeContributor => "FIRST_TIME_CONTRIBUTOR",
        AuthorAssociation.FirstTimer => "FIRST_TIMER",
        AuthorAssociation.Mannequin => "MANNEQUIN",
        _ => "NONE",
    };
}
