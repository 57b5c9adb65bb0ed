namespace AgentMesh.FakeGitHub.Model;

/// <summary>An invitation for <see cref="Invitee"/> to collaborate on a repository.</summary>
public sealed record FakeInvitation(long Id, FakeRepository Repository, FakeUser Inviter, FakeUser Invitee, string Permission);
