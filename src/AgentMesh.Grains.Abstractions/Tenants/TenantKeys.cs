namespace AgentMesh.Grains.Abstractions.Tenants;

/// <summary>GitHub logins are case-insensitive; a tenant grain's key is the login in lower case, so "Acme" and "acme" are one tenant.</summary>
public static class TenantKeys
{
    public static string For(string account)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(account);
        return account.Trim().ToLowerInvariant();
    }

    /// <summary>A GitHub login: letters, digits and single hyphens, not at either end, at most 39 characters.</summary>
    public static bool IsValid(string? account) =>
        account is { Length: > 0 and <= 39 }
        && account.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && account[0] != '-' && account[^1] != '-'
        && !account.Contains("--", StringComparison.Ordinal);
}
