#!/usr/bin/env bash
# AgentMesh's two entry points:
#   ./build.sh run  [args]   start a node on the embedded SQLite default (data in ./.data)
#   ./build.sh test          install what the tests need where it is missing, then run every test
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)

need_root_or_fail() {
  if [ "$(id -u)" != "0" ]; then
    echo "error: $1 is missing; install it (as root: apt-get install -y $2) and run again." >&2
    exit 1
  fi
}

apt_updated=0
apt_install() { # $1 = command to look for, $2.. = Debian packages
  local probe=$1; shift
  if ! eval "$probe" >/dev/null 2>&1; then
    need_root_or_fail "$probe" "$*"
    if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
  fi
}

install_test_prerequisites() {
  command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK is missing (https://dot.net)." >&2; exit 1; }
  apt_install "command -v git" git
  # The one-exec agent launcher (src/AgentMesh.Agents/Processes/Launcher) is compiled with the machine's C compiler,
  # linked static against the C library's archive; AgentLauncherTests fails without it.
  apt_install "command -v cc && test -f /usr/lib/x86_64-linux-gnu/libc.a -o -f /usr/lib/aarch64-linux-gnu/libc.a" gcc libc6-dev
  # The tests start a throwaway PostgreSQL from the installed server binaries, unless
  # AGENTMESH_TEST_POSTGRES names a server to use.
  if [ -z "${AGENTMESH_TEST_POSTGRES:-}" ]; then
    apt_install "ls /usr/lib/postgresql/*/bin/pg_ctl" postgresql
  fi
  # The dashboard's browser tests drive Debian's chromium through Playwright (its own download does not work here).
  apt_install "test -x /usr/bin/chromium" chromium
  # The agent sandbox tests need bubblewrap.
  apt_install "command -v bwrap" bubblewrap
  # The sandbox egress tests run the in-sandbox relay (Python) and a client (curl) under bubblewrap.
  apt_install "test -x /usr/bin/python3" python3
  apt_install "test -x /usr/bin/curl" curl
  command -v node >/dev/null && command -v npm >/dev/null || apt_install "command -v npm" nodejs npm
  # Pinned npm packages: the real Claude Code CLI and GitHub's webhook example payloads.
  if [ ! -x tests/node/node_modules/.bin/claude ] || [ ! -d tests/node/node_modules/@octokit/webhooks-examples ] \
     || [ tests/node/package-lock.json -nt tests/node/node_modules/.package-lock.json ]; then
    (cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
    # npm may hold back install scripts; Claude Code's only copies its native binary into place.
    (cd tests/node && node node_modules/@anthropic-ai/claude-code/install.cjs >/dev/null)
  fi
}

run_tests() {
  install_test_prerequisites
  dotnet build AgentMesh.sln -c Release -nologo -clp:ErrorsOnly
  local log; log=$(mktemp)
  set +e
  # Assemblies run one at a time (each one's own tests run in parallel): a 2-core machine
  # with several PostgreSQL servers and agent CLIs at once makes timeouts, not findings.
  dotnet test AgentMesh.sln -c Release --no-build -nologo -m:1 "$@" 2>&1 | tee "$log"
  local status=${PIPESTATUS[0]}
  set -e
  # Sum the per-assembly summaries ("Passed!  - Failed: 0, Passed: 12, Skipped: 0, ...").
  local totals
  totals=$(grep -E '^\s*(Passed!|Failed!)' "$log" | awk -F'[:,]' '
    { sub(/^[^-]*- /, "")  # drop "Failed!  - " so the first field is "Failed", not "FailedFailed"
      for (i = 1; i <= NF; i++) { k = $i; gsub(/[^A-Za-z]/, "", k); v = $(i+1); gsub(/[^0-9]/, "", v)
        if (k == "Failed") f += v; else if (k == "Passed") p += v; else if (k == "Skipped") s += v } }
    END { printf "%d passed, %d failed, %d skipped", p, f, s }')
  rm -f "$log"
  echo
  echo "tests: ${totals:-0 passed, 0 failed}"
  return "$status"
}

case "${1:-}" in
  run)
    shift
    exec dotnet run --project src/AgentMesh.Cli -c Release -- serve "$@"
    ;;
  test)
    shift
    run_tests "$@"
    ;;
  *)
    echo "usage: ./build.sh run [serve options] | ./build.sh test [dotnet test options]" >&2
    exit 2
    ;;
esac
