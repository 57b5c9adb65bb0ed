using System.Collections.Concurrent;
using Octokit.Webhooks;
using Octokit.Webhooks.Events;

namespace AgentMesh.GitHub.Rest;

/// <summary>
/// Which installation of the App serves which repository, so a call about a repository acts as the
/// installation GitHub delivers that repository's events through — one App installed on several
/// organizations serves them all. Learned from every delivery (its <c>installation.id</c> and
/// <c>repository</c>), changed by <c>installation</c> and <c>installation_repositories</c> events, and for a
/// repository no delivery to this node has named (a fleet spreads deliveries), asked of GitHub by
/// <see cref="GitHubClientFactory.ForRepositoryAsync"/>. Entries are forgotten after <see cref="Lifetime"/>,
/// so a node that missed a removal asks again. Octokit has no such notion; this is ours.
/// </summary>
public sealed class GitHubInstallationDirectory(TimeProvider timeProvider)
{
    /// <summary>How long a learned entry is trusted. 10 minutes.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, (long InstallationId, DateTimeOffset LearnedAt)> _byRepository = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The installation serving <paramref name="repository"/> (<c>owner/name</c>), or null when unknown or expired.</summary>
    public long? Find(string repository)
    {
        ArgumentException.ThrowIfNullOrEmpty(repository);
        if (_byRepository.TryGetValue(repository, out var entry))
        {
            if (timeProvider.GetUtcNow() - entry.LearnedAt < Lifetime)
            {
                return entry.InstallationId;
            }
            _byRepository.TryRemove(KeyValuePair.Create(repository, entry));
        }
        return null;
    }

    /// <summary>The repositories known to be served by <paramref name="installationId"/>, sorted.</summary>
    public IReadOnlyList<string> RepositoriesOf(long installationId) =>
        [.. _byRepository.Where(e => e.Value.InstallationId == installationId).Select(e => e.Key).Order(StringComparer.OrdinalIgnoreCase)];

    /// <summary>Records that <paramref name="installationId"/> serves <paramref name="repository"/>; a null in either changes nothing.</summary>
    public void Learn(string? repository, long? installationId)
    {
        if (!string.IsNullOrEmpty(repository) && installationId is { } id)
        {
            _byRepository[repository] = (id, timeProvider.GetUtcNow());
        }
    }

    /// <summary>Forgets <paramref name="repository"/>, e.g. after GitHub said the installation cannot see it.</summary>
    public void Forget(string repository) => _byRepository.TryRemove(repository, out _);

    /// <summary>
    /// Applies a delivery: an installation created, unsuspended or given new permissions serves its listed
    /// repositories; one deleted or suspended serves none; repositories added to or removed from an
    /// installation follow; any other event teaches the pair it carries.
    /// </summary>
    public void Apply(WebhookEvent webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        switch (webhook)
        {
            case InstallationEvent installation when installation.Action is "deleted" or "suspend":
                ForgetInstallation(installation.Installation.Id);
                break;
            case InstallationEvent installation:
                foreach (var repository in installation.Repositories ?? [])
                {
                    Learn(repository.FullName, installation.Installation.Id);
                }
                break;
            case InstallationRepositoriesEvent changed:
                foreach (var repository in changed.RepositoriesAdded ?? [])
                {
                    Learn(repository.FullName, changed.Installation.Id);
                }
                foreach (var repository in changed.RepositoriesRemoved ?? [])
                {
                    Forget(repository.FullName);
                }
                break;
            default:
                Learn(webhook.Repository?.FullName, webhook.Installation?.Id);
                break;
        }
    }

    private void ForgetInstallation(long installationId)
    {
        foreach (var entry in _byRepository.Where(e => e.Value.InstallationId == installationId))
        {
            _byRepository.TryRemove(entry);
        }
    }
}
