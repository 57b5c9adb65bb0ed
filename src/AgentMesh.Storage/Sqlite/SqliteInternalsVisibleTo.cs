using System.Runtime.CompilerServices;

// The SQLite tests drive the in-process change feed directly to test overflow without thousands of writes.
[assembly: InternalsVisibleTo("AgentMesh.Storage.Tests")]
