using System.Diagnostics;

namespace AgentMesh.Bench.Dispatch;

/// <summary>
/// The fake agent's first instruction. The node starts this small static program as the agent; before anything
/// else it reads the monotonic clock (the moment "the agent process started": exec'd and running its own code) and
/// then becomes the bench's bash script (its own path plus ".sh"), which reports that moment with its marker.
/// Without it the bench measured to the script's first line, which adds bash's own exec and start-up (4–6 ms on
/// the 2-core VPS) and the bench's accept: the agent's cost, not the dispatch's (docs/performance.md). Both are
/// still reported. On Linux <see cref="Stopwatch"/> reads the same clock (CLOCK_MONOTONIC, nanoseconds).
/// </summary>
internal static class FakeAgentProgram
{
    /// <summary>The variable the program hands its start to, in <see cref="Stopwatch"/> ticks (nanoseconds).</summary>
    public const string StartedVariable = "BENCH_AGENT_STARTED_NS";

    private const string Source = """
        #include <limits.h>
        #include <stdio.h>
        #include <stdlib.h>
        #include <time.h>
        #include <unistd.h>

        int main(int argc, char **argv)
        {
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            char stamp[32];
            snprintf(stamp, sizeof stamp, "%lld", (long long)now.tv_sec * 1000000000LL + now.tv_nsec);
            setenv("BENCH_AGENT_STARTED_NS", stamp, 1);
            char self[PATH_MAX - 3];
            ssize_t length = readlink("/proc/self/exe", self, sizeof self - 1);
            if (length < 0) { perror("readlink /proc/self/exe"); return 127; }
            self[length] = '\0';
            char script[PATH_MAX];
            snprintf(script, sizeof script, "%s.sh", self);
            char **args = calloc((size_t)argc + 2, sizeof *args);
            args[0] = "/bin/bash";
            args[1] = script;
            for (int i = 1; i < argc; i++) args[i + 1] = argv[i];
            execv("/bin/bash", args);
            perror("exec /bin/bash");
            return 127;
        }
        """;

    /// <summary>Builds the program at <paramref name="path"/>; its script must be written at <paramref name="path"/>.sh.</summary>
    public static async Task<string> BuildAsync(string path)
    {
        if (!OperatingSystem.IsLinux() || Stopwatch.Frequency != 1_000_000_000)
        {
            throw new PlatformNotSupportedException("The dispatch benchmark's fake agent reads CLOCK_MONOTONIC in nanoseconds, as Stopwatch does on Linux; run it on Linux.");
        }
        var source = path + ".c";
        await File.WriteAllTextAsync(source, Source);
        // Static, like the node's launcher: a dynamically linked program's exec costs 2–4 ms more on this VPS.
        if (await CompileAsync(source, path, "-static") is { } staticError && await CompileAsync(source, path) is { } error)
        {
            throw new InvalidOperationException($"The fake agent could not be compiled (install a C compiler: apt-get install gcc libc6-dev):\n{staticError}\n{error}");
        }
        return path;
    }

    private static async Task<string?> CompileAsync(string source, string output, params string[] extra)
    {
        var start = new ProcessStartInfo("cc") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-O2", "-Wall" }.Concat(extra).Concat(["-o", output, source]))
        {
            start.ArgumentList.Add(argument);
        }
        Process cc;
        try
        {
            cc = Process.Start(start) ?? throw new InvalidOperationException("cc did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"cc: {ex.Message}";
        }
        using var _ = cc;
        var errors = cc.StandardError.ReadToEndAsync();
        await cc.StandardOutput.ReadToEndAsync();
        await cc.WaitForExitAsync();
        return cc.ExitCode == 0 ? null : $"cc {string.Join(' ', extra)}: exit {cc.ExitCode}: {await errors}";
    }
}
