namespace AgentMesh.Server.Hosting;

/// <summary>
/// An exclusive lock on the embedded store's data directory for the life of the process. Two silos
/// on one SQLite file start without error and form two clusters, each with its own activation of
/// every grain (ORLEANS-NOTES.md, pitfall 2): a second <c>serve</c> or <c>run</c> on the same
/// directory must be refused instead. The lock is the OS's (.NET's <see cref="FileShare.None"/> is
/// an <c>flock</c> on Unix), so it dies with the process, even on kill -9.
/// </summary>
public sealed class DataDirectoryLock : IDisposable
{
    public const string FileName = "agentmesh.lock";

    private readonly FileStream _lock;

    private DataDirectoryLock(FileStream stream) => _lock = stream;

    /// <summary>Takes the lock on <paramref name="directory"/>, creating it, or throws with a message that says who holds it.</summary>
    public static DataDirectoryLock Acquire(string directory)
    {
        var full = Path.GetFullPath(directory);
        Directory.CreateDirectory(full);
        var path = Path.Combine(full, FileName);
        try
        {
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }
            stream.Flush();
            return new DataDirectoryLock(stream);
        }
        catch (IOException)
        {
            var holder = TryReadHolder(path);
            throw new InvalidOperationException(
                $"the data directory {full} is in use by another AgentMesh node{(holder is null ? "" : $" (process {holder})")}; "
                + "stop it, or give this one its own --data-dir. Two nodes on one SQLite file would form two clusters.");
        }
    }

    public void Dispose() => _lock.Dispose();

    private static string? TryReadHolder(string path)
    {
        try
        {
            // Reading is allowed to others on Linux only through a fresh descriptor without the lock.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var text = reader.ReadToEnd().Trim();
            return text.Length > 0 ? text : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
