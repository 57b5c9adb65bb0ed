/*
 * agentmesh-launch PROGRAM [ARGUMENT...]
 * agentmesh-launch --standby
 *
 * Starts an agent the way AgentMesh needs it started, in one exec: as the leader of a new session and process
 * group (what util-linux setsid does), killed by SIGKILL when the thread that started it ends, which is when its
 * node dies, even by SIGKILL (what util-linux setpriv --pdeathsig KILL does). Those two tools do the same in two
 * execs, and on a small virtual machine each exec of a dynamically linked program costs milliseconds on the path
 * from a webhook to the agent (docs/agents.md, "Process supervision"). Built static by AgentMesh.Agents.csproj
 * when the machine has a C compiler; without it the node falls back to setsid and setpriv.
 *
 * With --standby it is started before there is an agent to run (AgentMesh.Agents' StandbyLauncher): it becomes
 * the group leader, then waits on stdin for one launch request and execs it, so the node's own fork and exec of
 * this program are off the path from the webhook to the agent. The request is a 4-byte little-endian length N,
 * then N bytes of NUL-terminated strings: the working directory, the argument count, the arguments (the first is
 * the program), the variable count, the variables (NAME=value), which become the agent's whole environment.
 * Exactly N bytes are read, so everything after them on stdin is the agent's. End of input before a request is
 * a quiet exit 0 (the node no longer needs this standby).
 *
 * Exit code 127 when it cannot start PROGRAM, as a shell answers for a command it cannot run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

extern char **environ;

/* A request larger than this is no launch request: the node never sends one near it. */
#define MAX_REQUEST (64u * 1024u * 1024u)

/* Reads exactly count bytes (fewer only at end of input); -1 on a read error. */
static ssize_t read_exactly(int fd, char *buffer, size_t count)
{
    size_t done = 0;
    while (done < count) {
        ssize_t got = read(fd, buffer + done, count - done);
        if (got == 0) {
            break;
        }
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return -1;
        }
        done += (size_t)got;
    }
    return (ssize_t)done;
}

/* The next NUL-terminated string of the request, or NULL when it runs past the end. */
static char *next_string(char **cursor, char *end)
{
    char *start = *cursor;
    char *nul = start < end ? memchr(start, '\0', (size_t)(end - start)) : NULL;
    if (nul == NULL) {
        return NULL;
    }
    *cursor = nul + 1;
    return start;
}

/* A list of count strings read from the request, NULL-terminated; NULL when the request is malformed. */
static char **next_list(char **cursor, char *end)
{
    char *count_text = next_string(cursor, end);
    if (count_text == NULL) {
        return NULL;
    }
    char *count_end;
    unsigned long count = strtoul(count_text, &count_end, 10);
    if (*count_text == '\0' || *count_end != '\0' || count > MAX_REQUEST) {
        return NULL;
    }
    char **list = calloc(count + 1, sizeof(char *));
    if (list == NULL) {
        return NULL;
    }
    for (unsigned long i = 0; i < count; i++) {
        if ((list[i] = next_string(cursor, end)) == NULL) {
            return NULL;
        }
    }
    return list;
}

static int run_standby(void)
{
    unsigned char header[4];
    ssize_t got = read_exactly(STDIN_FILENO, (char *)header, sizeof header);
    if (got == 0) {
        return 0;
    }
    if (got != (ssize_t)sizeof header) {
        fputs("agentmesh-launch: the launch request ended early\n", stderr);
        return 127;
    }
    uint32_t length = (uint32_t)header[0] | (uint32_t)header[1] << 8 | (uint32_t)header[2] << 16 | (uint32_t)header[3] << 24;
    char *request = length <= MAX_REQUEST ? malloc(length) : NULL;
    if (request == NULL || read_exactly(STDIN_FILENO, request, length) != (ssize_t)length) {
        fputs("agentmesh-launch: the launch request is too long or ended early\n", stderr);
        return 127;
    }
    char *cursor = request, *end = request + length;
    char *directory = next_string(&cursor, end);
    char **arguments = next_list(&cursor, end);
    char **variables = next_list(&cursor, end);
    if (directory == NULL || arguments == NULL || arguments[0] == NULL || variables == NULL || cursor != end) {
        fputs("agentmesh-launch: malformed launch request\n", stderr);
        return 127;
    }
    if (chdir(directory) != 0) {
        fprintf(stderr, "agentmesh-launch: %s: %s\n", directory, strerror(errno));
        return 127;
    }
    /* execvp searches the PATH of the environment it finds in environ: the agent's, as when started directly. */
    environ = variables;
    execvp(arguments[0], arguments);
    fprintf(stderr, "agentmesh-launch: %s: %s\n", arguments[0], strerror(errno));
    return 127;
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fputs("usage: agentmesh-launch PROGRAM [ARGUMENT...] | agentmesh-launch --standby\n", stderr);
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
    if (argc == 2 && strcmp(argv[1], "--standby") == 0) {
        return run_standby();
    }
    execvp(argv[1], argv + 1);
    fprintf(stderr, "agentmesh-launch: %s: %s\n", argv[1], strerror(errno));
    return 127;
}
