using System.Runtime.Versioning;

// Agents are Linux processes: process groups, signals, bubblewrap.
[assembly: SupportedOSPlatform("linux")]
