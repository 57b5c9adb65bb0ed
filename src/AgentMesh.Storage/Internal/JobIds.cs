namespace AgentMesh.Storage.Internal;

/// <summary>
/// Generates job ids when the caller gives none: version-7 GUIDs (time-ordered, so ids created
/// close together sort together and index well) in 32 lowercase hex characters.
/// </summary>
internal static class JobIds
{
    public static string New(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return Guid.CreateVersion7(timeProvider.GetUtcNow()).ToString("N");
    }
}
