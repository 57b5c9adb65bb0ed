/*
 * agentmesh-launch PROGRAM [ARGUMENT...]
 *
 * Starts an agent the way AgentMesh needs it started, in one exec: as the leader of a new session and process
 * group (what util-linux setsid does), killed by SIGKILL when the thread that started it ends, which is when its
 * node dies, even by SIGKILL (what util-linux setpriv --pdeathsig KILL does). Those two tools do the same in two
 * execs, and on a small virtual machine each exec of a dynamically linked program costs milliseconds on the path
 * from a webhook to the agent (docs/agents.md, "Process supervision"). Built static by AgentMesh.Agents.csproj
 * when the machine has a C compiler; without it the node falls back to setsid and setpriv.
 *
 * Exit code 127 when it cannot start PROGRAM, as a shell answers for a command it cannot run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: agentmesh-launch PROGRAM [ARGUMENT...]\n", stderr);
        return 127;
    }
    pid_t parent = getppid();
    if (setsid() < 0) {
        fprintf(stderr, "agentmesh-launch: setsid: %s\n", strerror(errno));
        return 127;
    }
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0) {
        fprintf(stderr, "agentmesh-launch: prctl(PR_SET_PDEATHSIG): %s\n", strerror(errno));
        return 127;
    }
    /* The starting thread may have ended before the signal was set, and then nothing would ever send it. */
    if (getppid() != parent) {
        return 127;
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "agentmesh-launch: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
