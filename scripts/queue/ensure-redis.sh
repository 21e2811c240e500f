#!/usr/bin/env bash
# Makes sure `redis-server` is on PATH: installs Debian's/Ubuntu's package when missing and possible (root, or
# password-less sudo); otherwise says what to do. Used by `npm start -- --queue` and by CI (.ci/run).
# Installing the package may also start a system Redis on port 6379 (where systemd runs); the queue stack
# runs its own redis-server on another port (6380 by default) and does not use that one.
set -euo pipefail
command -v redis-server >/dev/null 2>&1 && exit 0
say() { printf '[queue] %s\n' "$*" >&2; }
if command -v apt-get >/dev/null 2>&1; then
	if [[ "$(id -u)" == "0" ]]; then
		SUDO=()
	elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		SUDO=(sudo -n)
	else
		SUDO=(none)
	fi
	if [[ "${SUDO[0]:-}" != "none" ]]; then
		say "redis-server is missing: installing Debian's redis-server package (apt-get)"
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
		"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2
		command -v redis-server >/dev/null 2>&1 && exit 0
	fi
fi
say "ERROR: redis-server is not installed, and this script cannot install it here."
say "  -> Debian/Ubuntu: sudo apt-get install -y redis-server     macOS: brew install redis"
say "  -> or point REDIS_SERVER_BIN at a redis-server binary, then run the command again"
exit 1
