using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Npgsql;

namespace AgentMesh.Testing.Postgres;

/// <summary>
/// The PostgreSQL server tests run against: the one named by <see cref="EnvironmentVariable"/> when it is set,
/// otherwise a throwaway server started from the installed binaries (fresh data directory in a temp folder,
/// random loopback port, durability switched off because the data is thrown away). One server per test
/// process; each test takes a fresh database from <see cref="CreateDatabaseAsync"/>.
/// </summary>
/// <remarks>
/// Clean-up, in three layers. At process exit (<see cref="AppDomain.ProcessExit"/>) the postmaster gets
/// SIGQUIT (immediate shutdown) and an <c>rm -rf</c> of the folder is started that outlives this process: the
/// test runner kills its host milliseconds after the last test, too soon for <c>pg_ctl</c> or a recursive
/// delete. If the test process crashes or is killed, the server still goes: it is started through
/// <c>setpriv --pdeathsig TERM</c> (as root followed by <c>runuser -u postgres</c>, which forwards the
/// signal), so the kernel signals it the moment the test process dies. The parent-death signal fires when
/// the <em>thread</em> that forked exits, so the server is started from a dedicated thread that lives as
/// long as the process. Last, every start removes folders of earlier runs whose owning process is gone,
/// after stopping any server still running in them.
/// </remarks>
public sealed class PostgresServer
{
    /// <summary>Set it to an admin connection string to use an existing server instead of a throwaway one.</summary>
    public const string EnvironmentVariable = "AGENTMESH_TEST_POSTGRES";

    /// <summary>The failure when PostgreSQL cannot be found: tests never skip silently.</summary>
    public const string NotInstalledMessage =
        "PostgreSQL is not installed: run ./build.sh test (installs it), or apt-get install -y postgresql, " +
        "or set AGENTMESH_TEST_POSTGRES to a connection string.";

    /// <summary>Where Debian's postgresql packages install their binaries.</summary>
    public const string InstallRoot = "/usr/lib/postgresql";

    private const string DirectoryPrefix = "agentmesh-pg-";
    private const string OwnerPidFile = "owner.pid";

    private static readonly Lazy<PostgresServer> SharedServer = new(Start, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly string _adminConnectionString;
    private readonly NpgsqlDataSource _admin;
    private int _databaseCounter;

    private PostgresServer(string adminConnectionString, bool throwaway)
    {
        _adminConnectionString = adminConnectionString;
        IsThrowaway = throwaway;
        _admin = NpgsqlDataSource.Create(adminConnectionString);
    }

    /// <summary>The server for this test process, started on first use.</summary>
    public static PostgresServer Shared => SharedServer.Value;

    /// <summary>True when this process started the server (false when it came from the environment variable).</summary>
    public bool IsThrowaway { get; }

    /// <summary>A connection string to the server's maintenance database (for tests that inspect the server).</summary>
    public string AdminConnectionString => _adminConnectionString;

    /// <summary>Creates an empty database with a fresh name and returns a pooled connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(CancellationToken cancellationToken = default)
    {
        // Identifiers are at most 63 bytes; the counter keeps names readable, the guid keeps them unique across runs.
        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"agentmesh_test_{Interlocked.Increment(ref _databaseCounter)}_{Guid.NewGuid():N}");
        await using (var command = _admin.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        return new NpgsqlConnectionStringBuilder(_adminConnectionString)
        {
            Database = name,
            Pooling = true,
        }.ConnectionString;
    }

    private static PostgresServer Start()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            return new PostgresServer(fromEnvironment, throwaway: false);
        }
        var binaries = RequireBinaries(InstallRoot);
        RemoveAbandonedDirectories(binaries);
        return ThrowawayServer.Start(binaries);
    }

    /// <summary>
    /// The newest <c>&lt;root&gt;/&lt;version&gt;/bin</c> holding initdb and postgres, or a failure that says how to
    /// install PostgreSQL: tests never skip silently.
    /// </summary>
    public static string RequireBinaries(string root) => FindBinaries(root) ?? throw new InvalidOperationException(NotInstalledMessage);

    /// <summary>The newest <c>&lt;root&gt;/&lt;version&gt;/bin</c> holding initdb and postgres, or null.</summary>
    public static string? FindBinaries(string root)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }
        return Directory.GetDirectories(root)
            .Select(dir => (Dir: dir, Version: int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : -1))
            .Where(x => x.Version > 0)
            .OrderByDescending(x => x.Version)
            .Select(x => Path.Combine(x.Dir, "bin"))
            .FirstOrDefault(bin => File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres")));
    }

    /// <summary>Stops servers of earlier test runs whose process is gone and deletes their directories.</summary>
    private static void RemoveAbandonedDirectories(string binaries)
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), DirectoryPrefix + "*"))
        {
            var ownerFile = Path.Combine(dir, OwnerPidFile);
            if (!File.Exists(ownerFile)
                || !int.TryParse(File.ReadAllText(ownerFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var owner)
                || IsAlive(owner))
            {
                continue;
            }
            ThrowawayServer.StopIn(binaries, Path.Combine(dir, "data"));
            TryDeleteDirectory(dir);
        }
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static void TryDeleteDirectory(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>A server process this test process started, and how to stop it.</summary>
    private static class ThrowawayServer
    {
        private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

        public static PostgresServer Start(string binaries)
        {
            var asRoot = RunningAsRoot();
            var baseDir = Path.Combine(Path.GetTempPath(), DirectoryPrefix + Guid.NewGuid().ToString("N"));
            var dataDir = Path.Combine(baseDir, "data");
            var socketDir = Path.Combine(baseDir, "sock");
            Directory.CreateDirectory(baseDir);
            File.WriteAllText(Path.Combine(baseDir, OwnerPidFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            Directory.CreateDirectory(socketDir);
            if (asRoot)
            {
                // The server refuses to run as root: its directories belong to the postgres user.
                Run("chown", ["-R", "postgres:postgres", baseDir]);
            }

            try
            {
                RunAsServerUser(asRoot, Path.Combine(binaries, "initdb"),
                    ["-D", dataDir, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
            }
            catch (InvalidOperationException)
            {
                TryDeleteDirectory(baseDir);
                throw;
            }

            Exception? lastError = null;
            for (var attempt = 0; attempt < 3; attempt++)
            {
                var port = FreeLoopbackPort();
                var process = StartOnDedicatedThread(asRoot, binaries, dataDir, socketDir, port);
                var connectionString = new NpgsqlConnectionStringBuilder
                {
                    Host = "127.0.0.1",
                    Port = port,
                    Username = "postgres",
                    Database = "postgres",
                    Pooling = true,
                    Timeout = 15,
                }.ConnectionString;
                try
                {
                    WaitUntilReady(process, connectionString);
                }
                catch (Exception ex) when (ex is InvalidOperationException or NpgsqlException or TimeoutException)
                {
                    // Most likely the port was taken between choosing it and binding it: try another.
                    lastError = ex;
                    StopIn(binaries, dataDir);
                    continue;
                }
                AppDomain.CurrentDomain.ProcessExit += (_, _) =>
                {
                    // The test runner kills its host a few milliseconds after the run, too soon for pg_ctl or
                    // a recursive delete: signal the postmaster directly, then leave the folder to an `rm`
                    // that outlives this process (and to the next run's sweep if even that is cut short).
                    StopImmediately(dataDir);
                    RemoveInBackground(baseDir);
                };
                return new PostgresServer(connectionString, throwaway: true);
            }
            TryDeleteDirectory(baseDir);
            throw new InvalidOperationException($"Could not start PostgreSQL from {binaries}: {lastError?.Message}", lastError);
        }

        /// <summary>Fast shutdown of a server running in <paramref name="dataDir"/>, if one is.</summary>
        public static void StopIn(string binaries, string dataDir)
        {
            if (!File.Exists(Path.Combine(dataDir, "postmaster.pid")))
            {
                return;
            }
            var asRoot = RunningAsRoot();
            try
            {
                RunAsServerUser(asRoot, Path.Combine(binaries, "pg_ctl"), ["stop", "-D", dataDir, "-m", "immediate", "-w", "-t", "20"]);
            }
            catch (InvalidOperationException)
            {
                // Already stopped (stale pid file): nothing to do.
            }
        }

        /// <summary>
        /// SIGQUIT to the postmaster is PostgreSQL's immediate shutdown (its children exit too); waits up to
        /// five seconds for it to go.
        /// </summary>
        private static void StopImmediately(string dataDir)
        {
            const int SigQuit = 3;
            var pidFile = Path.Combine(dataDir, "postmaster.pid");
            try
            {
                if (!File.Exists(pidFile)
                    || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    return;
                }
                using var postmaster = Process.GetProcessById(pid);
                if (Kill(pid, SigQuit) == 0)
                {
                    postmaster.WaitForExit(TimeSpan.FromSeconds(5));
                }
            }
            catch (Exception ex) when (ex is IOException or ArgumentException or InvalidOperationException)
            {
                // Already gone.
            }
        }

        private static void RemoveInBackground(string dir)
        {
            try
            {
                var remove = new ProcessStartInfo("rm") { UseShellExecute = false };
                remove.ArgumentList.Add("-rf");
                remove.ArgumentList.Add(dir);
                Process.Start(remove)?.Dispose();
            }
            catch (System.ComponentModel.Win32Exception)
            {
                TryDeleteDirectory(dir);
            }
        }

        [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        private static extern int Kill(int pid, int signal);

        private static Process StartOnDedicatedThread(bool asRoot, string binaries, string dataDir, string socketDir, int port)
        {
            string[] serverArgs =
            [
                "-D", dataDir,
                "-p", port.ToString(CultureInfo.InvariantCulture),
                "-k", socketDir,
                "-c", "listen_addresses=127.0.0.1",
                "-c", "fsync=off",
                "-c", "synchronous_commit=off",
                "-c", "full_page_writes=off",
                "-c", "max_connections=200",
                "-c", "shared_buffers=64MB",
            ];
            var start = new ProcessStartInfo("setpriv")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in (string[])["--pdeathsig", "TERM", "--"])
            {
                start.ArgumentList.Add(arg);
            }
            if (asRoot)
            {
                foreach (var arg in (string[])["runuser", "-u", "postgres", "--"])
                {
                    start.ArgumentList.Add(arg);
                }
            }
            start.ArgumentList.Add(Path.Combine(binaries, "postgres"));
            foreach (var arg in serverArgs)
            {
                start.ArgumentList.Add(arg);
            }

            Process? started = null;
            Exception? failure = null;
            using var ready = new ManualResetEventSlim();
            var thread = new Thread(() =>
            {
                try
                {
                    started = Process.Start(start) ?? throw new InvalidOperationException("setpriv did not start.");
                    started.OutputDataReceived += (_, _) => { };
                    started.ErrorDataReceived += (_, e) => ServerLog.Add(e.Data);
                    started.BeginOutputReadLine();
                    started.BeginErrorReadLine();
                }
                catch (Exception ex) when (ex is InvalidOperationException or System.ComponentModel.Win32Exception)
                {
                    failure = ex;
                }
                ready.Set();
                // The kernel's parent-death signal is tied to the forking thread: keep it alive for good.
                Thread.Sleep(Timeout.Infinite);
            })
            {
                IsBackground = true,
                Name = "postgres-parent",
            };
            thread.Start();
            ready.Wait();
            return started ?? throw new InvalidOperationException($"Could not start postgres: {failure?.Message}", failure);
        }

        private static void WaitUntilReady(Process process, string connectionString)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException(
                        $"postgres exited with code {process.ExitCode}: {string.Join(Environment.NewLine, ServerLog.Snapshot())}");
                }
                try
                {
                    using var connection = new NpgsqlConnection(connectionString);
                    connection.Open();
                    return;
                }
                catch (NpgsqlException) when (clock.Elapsed < StartTimeout)
                {
                    // Still starting up.
                }
                catch (SocketException) when (clock.Elapsed < StartTimeout)
                {
                }
                Thread.Sleep(50);
            }
        }

        private static int FreeLoopbackPort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        /// <summary>Runs a PostgreSQL tool; as root through <c>runuser -u postgres --</c> (an argv list, no shell).</summary>
        private static void RunAsServerUser(bool asRoot, string program, string[] args)
        {
            if (asRoot)
            {
                Run("runuser", ["-u", "postgres", "--", program, .. args]);
            }
            else
            {
                Run(program, args);
            }
        }

        private static void Run(string program, string[] args)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in args)
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException(
                    $"{program} {string.Join(' ', args)} exited with code {process.ExitCode}: {stderr.Result}{stdout.Result}");
            }
        }

        /// <summary>The server refuses to run as root, so as root it runs as the <c>postgres</c> user.</summary>
        private static bool RunningAsRoot() => Environment.UserName == "root";
    }

    /// <summary>The server's last stderr lines, for the failure message when it does not come up.</summary>
    private static class ServerLog
    {
        private static readonly Queue<string> Lines = new();

        public static void Add(string? line)
        {
            if (line is null)
            {
                return;
            }
            lock (Lines)
            {
                Lines.Enqueue(line);
                while (Lines.Count > 50)
                {
                    Lines.Dequeue();
                }
            }
        }

        public static string[] Snapshot()
        {
            lock (Lines)
            {
                return [.. Lines];
            }
        }
    }
}
