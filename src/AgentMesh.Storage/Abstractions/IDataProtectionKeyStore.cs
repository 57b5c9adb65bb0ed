namespace AgentMesh.Storage.Abstractions;

/// <summary>
/// ASP.NET Core Data Protection's key ring, kept in the store (table <c>data_protection_keys</c>) so that every
/// web node of one database protects and unprotects with the same keys: a dashboard sign-in made on one node is
/// accepted by the others, and GitHub sign-in's correlation cookie survives a callback landing on another node.
/// The node adapts it to Data Protection's <c>IXmlRepository</c>. Append-only: Data Protection never updates or
/// deletes an element (a revocation is an element of its own), so a key is one insert and readers need no lock.
/// </summary>
public interface IDataProtectionKeyStore
{
    /// <summary>
    /// Adds one element of the key ring. Every call adds a row, even with a friendly name already stored:
    /// Data Protection treats the name as a hint, not a key, and expects both elements back.
    /// </summary>
    /// <param name="friendlyName">Data Protection's name for the element (<c>key-{id}</c>, <c>revocation-…</c>), kept as given.</param>
    /// <param name="xml">The element as XML text; stored as is. Data Protection keys are secrets: see docs/security.md.</param>
    Task StoreAsync(string? friendlyName, string xml, CancellationToken cancellationToken = default);

    /// <summary>Every element stored, oldest first (in the order they were stored).</summary>
    Task<IReadOnlyList<DataProtectionKeyElement>> ReadAllAsync(CancellationToken cancellationToken = default);
}

/// <param name="Id">The row's number, increasing in the order elements were stored.</param>
/// <param name="FriendlyName">The name Data Protection gave it, if any.</param>
/// <param name="Xml">The element as stored.</param>
/// <param name="CreatedAt">When it was stored (the store's clock).</param>
public sealed record DataProtectionKeyElement(long Id, string? FriendlyName, string Xml, DateTimeOffset CreatedAt);
