#!/usr/bin/env bash
# `npm start`: build this package, run it inside a real n8n on http://localhost:5678.
#
#   npm start                    # build, provision n8n (first time ~6-8 min), import examples, start n8n
#   npm start -- --check         # same, but stop again once n8n is ready, serves the editor and lists this
#                                # package's node types (exit 0 = it works)
#   npm start -- --check --from-tarball
#                                # the package as users get it: npm pack, installed the way n8n's installer
#                                # does (scripts/install-packed.mjs, cached by content), instead of a link
#
# Environment:
#   N8N_USER_FOLDER        n8n's data (default <repo>/.n8n, git-ignored); n8n itself keeps its files in
#                          $N8N_USER_FOLDER/.n8n, and so does the association store: .n8n/associations.sqlite
#   N8N_PORT               default 5678          N8N_LISTEN_ADDRESS   default 127.0.0.1
#   N8N_VERSION / N8N_RUNTIME_DIR   see scripts/provision-n8n.sh
#   START_SKIP_BUILD=1     do not run `npm run build`
#   START_EXAMPLES_DIR     workflows to import (default <repo>/docs/examples; *.json, one workflow or an array)
#   START_LOAD_MODE        package (default): the repo is linked into .n8n/nodes/node_modules like an installed
#                          community package, node types are n8n-nodes-object-associations.<node>;
#                          custom: N8N_CUSTOM_EXTENSIONS=<repo>/dist, node types are CUSTOM.<node>
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_DIR="$(cd "$SCRIPT_DIR/.." && pwd)"
CHECK=0
# `npm start -- --queue [--workers N]`: n8n main + workers on PostgreSQL and Redis (docs/queue-mode.md)
for arg in "$@"; do [[ "$arg" == "--queue" ]] && exec bash "$SCRIPT_DIR/start-queue.sh" "$@"; done
FROM_TARBALL=0
for arg in "$@"; do
	case "$arg" in
	--check) CHECK=1 ;;
	--from-tarball) FROM_TARBALL=1 ;;
	-h | --help)
		sed -n '2,20p' "$0"
		exit 0
		;;
	*)
		echo "start.sh: unknown argument '$arg' (try --help)" >&2
		exit 2
		;;
	esac
done

log() { printf '[start] %s\n' "$*" >&2; }
fail() {
	printf '[start] ERROR: %s\n' "$1" >&2
	shift
	for hint in "$@"; do printf '[start]   -> %s\n' "$hint" >&2; done
	exit 1
}

# Node 24 first on PATH and the dependencies installed (a fresh clone has neither).
source "$SCRIPT_DIR/toolchain.sh" || fail "could not set up Node 24 and the dependencies (see above)"
PORT="${N8N_PORT:-5678}"
LISTEN="${N8N_LISTEN_ADDRESS:-127.0.0.1}"
USER_FOLDER="${N8N_USER_FOLDER:-$REPO_DIR/.n8n}"
LOAD_MODE="${START_LOAD_MODE:-package}"
PKG_NAME="$(cd "$REPO_DIR" && node -p 'require("./package.json").name' 2>/dev/null || echo n8n-nodes-object-associations)"

# ---- 1. build -------------------------------------------------------------------------------------------
if [[ "${START_SKIP_BUILD:-0}" != "1" ]]; then
	log "building the package (npm run build)"
	(cd "$REPO_DIR" && npm run build >&2) || fail "npm run build failed" "fix the TypeScript errors above, or START_SKIP_BUILD=1 to start with the existing dist/"
fi
# every file the package.json "n8n" block lists must exist, or n8n refuses the whole package
MISSING="$(cd "$REPO_DIR" && node -e '
	const p = require("./package.json"); const fs = require("fs");
	const files = [...((p.n8n||{}).nodes||[]), ...((p.n8n||{}).credentials||[])];
	console.log(files.filter((f) => !fs.existsSync(f)).join(" "));')"
[[ -z "$MISSING" ]] || fail "package.json lists files that do not exist: $MISSING" "run npm run build (without START_SKIP_BUILD=1)"

# ---- 2. n8n ---------------------------------------------------------------------------------------------
N8N_BIN="$(bash "$SCRIPT_DIR/provision-n8n.sh" | tail -n 1)" || fail "provisioning n8n failed (see messages above)"
[[ -x "$N8N_BIN" ]] || fail "provision-n8n.sh did not return an n8n launcher (got '$N8N_BIN')"

# ---- 3. environment -------------------------------------------------------------------------------------
mkdir -p "$USER_FOLDER/.n8n"
USER_FOLDER="$(cd "$USER_FOLDER" && pwd)"
# jest/npm/CI variables that would change n8n's behaviour (NODE_ENV=test stops it loading nodes)
unset NODE_OPTIONS DB_TYPE EXECUTIONS_MODE N8N_CUSTOM_EXTENSIONS
export NODE_ENV=production
export N8N_USER_FOLDER="$USER_FOLDER"
export N8N_PORT="$PORT" N8N_LISTEN_ADDRESS="$LISTEN" N8N_HOST="${N8N_HOST:-localhost}" N8N_PROTOCOL=http
export N8N_EDITOR_BASE_URL="${N8N_EDITOR_BASE_URL:-http://localhost:$PORT}"
export N8N_DIAGNOSTICS_ENABLED=false N8N_VERSION_NOTIFICATIONS_ENABLED=false \
	N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED=false N8N_TEMPLATES_ENABLED=false \
	N8N_HIRING_BANNER_ENABLED=false N8N_PERSONALIZATION_ENABLED=false N8N_LICENSE_AUTO_RENEW_ENABLED=false \
	N8N_REINSTALL_MISSING_PACKAGES=false N8N_RUNNERS_MODE=internal
export N8N_RUNNERS_BROKER_PORT="${N8N_RUNNERS_BROKER_PORT:-$((PORT + 1))}"
# the MCP-server registry module fetches a list from n8n's servers at start (a stack trace when offline)
export N8N_DISABLED_MODULES="${N8N_DISABLED_MODULES-mcp-registry}"

LINK="$USER_FOLDER/.n8n/nodes/node_modules/$PKG_NAME"
case "$LOAD_MODE" in
package)
	# n8n scans .n8n/nodes/node_modules/n8n-nodes-* at start: a link to the repository (edit, build, restart),
	# or with --from-tarball the packed package installed as n8n's installer installs it
	mkdir -p "$(dirname "$LINK")"
	if [[ "$FROM_TARBALL" == "1" ]]; then
		log "packing and installing the tarball as n8n does (scripts/install-packed.mjs)"
		PACKED_NODES="$(node "$SCRIPT_DIR/install-packed.mjs" | tail -n 1)" || fail "installing the packed package failed (see above)"
		cp "$PACKED_NODES/package.json" "$USER_FOLDER/.n8n/nodes/package.json"
		ln -sfn "$PACKED_NODES/node_modules/$PKG_NAME" "$LINK"
		log "n8n loads $PKG_NAME from $(readlink "$LINK")"
	else
		ln -sfn "$REPO_DIR" "$LINK"
	fi
	NODE_PREFIX="$PKG_NAME"
	;;
custom)
	# never the repo root: n8n globs **/*.node.js below it, node_modules included, and crashes on a stray one
	rm -f "$LINK"
	export N8N_CUSTOM_EXTENSIONS="$REPO_DIR/dist"
	NODE_PREFIX="CUSTOM"
	;;
*) fail "START_LOAD_MODE must be 'package' or 'custom' (got '$LOAD_MODE')" ;;
esac

# ---- 4. examples ----------------------------------------------------------------------------------------
# Imported once per content: a changed example file is imported again (overwriting that workflow), an
# unchanged one is left alone so edits made in the editor survive restarts.
STAMPS="$USER_FOLDER/.n8n/imported-examples.txt"
touch "$STAMPS"
shopt -s nullglob
EXAMPLES_DIR="${START_EXAMPLES_DIR:-$REPO_DIR/docs/examples}"
EXAMPLES=("$EXAMPLES_DIR"/*.json)
shopt -u nullglob
IMPORT_DIR="$(mktemp -d "${TMPDIR:-/tmp}/n8n-start-import.XXXXXX")"
trap 'rm -rf "$IMPORT_DIR"' EXIT
IMPORTED=0
# The examples' nodes reference the credential {"id": "assocStoreDefault", "name": "Association Store"}: import it
# once (SQLite, empty path = $N8N_USER_FOLDER/.n8n/associations.sqlite, namespace default); later edits made in
# the editor are kept, because it is never imported again (delete the line from imported-examples.txt to redo).
CREDENTIAL_STAMP="credential assocStoreDefault"
if ! grep -qxF "$CREDENTIAL_STAMP" "$STAMPS"; then
	cat >"$IMPORT_DIR/credentials.json" <<'JSON'
[{ "id": "assocStoreDefault", "name": "Association Store", "type": "associationStoreApi",
   "data": { "storeType": "sqlite", "sqlitePath": "", "namespace": "default" } }]
JSON
	if "$N8N_BIN" import:credentials --input="$IMPORT_DIR/credentials.json" >"$IMPORT_DIR/import.log" 2>&1; then
		echo "$CREDENTIAL_STAMP" >>"$STAMPS"
		log "credential 'Association Store' (id assocStoreDefault, SQLite) imported"
	else
		tail -n 15 "$IMPORT_DIR/import.log" >&2
		fail "importing the default Association Store credential failed (see above)"
	fi
fi
for file in "${EXAMPLES[@]}"; do
	sum="$(sha256sum "$file" | cut -d' ' -f1)"
	grep -qxF "$sum  $(basename "$file")" "$STAMPS" && continue
	# workflows need an id to import: give id-less ones a stable one derived from the file name
	out="$IMPORT_DIR/$(basename "$file")"
	node -e '
		const fs = require("fs"), crypto = require("crypto");
		const [file, out] = process.argv.slice(1);
		const data = JSON.parse(fs.readFileSync(file, "utf8"));
		const list = Array.isArray(data) ? data : [data];
		if (!list.every((w) => w && Array.isArray(w.nodes))) process.exit(3);
		list.forEach((w, i) => {
			w.id ??= crypto.createHash("sha256").update(require("path").basename(file) + ":" + i).digest("base64")
				.replace(/[^A-Za-z0-9]/g, "").slice(0, 16);
			w.active = false;
		});
		fs.writeFileSync(out, JSON.stringify(list));
	' "$file" "$out" || {
		log "skipping $(basename "$file"): not an n8n workflow (no \"nodes\" array)"
		continue
	}
	if "$N8N_BIN" import:workflow --input="$out" >"$IMPORT_DIR/import.log" 2>&1; then
		echo "$sum  $(basename "$file")" >>"$STAMPS"
		IMPORTED=$((IMPORTED + 1))
	else
		tail -n 15 "$IMPORT_DIR/import.log" >&2
		fail "importing $file failed (see above)" "fix the example JSON, then run npm start again"
	fi
done
((${#EXAMPLES[@]})) && log "examples: ${#EXAMPLES[@]} in $EXAMPLES_DIR, $IMPORTED (re)imported"

# ---- 5. start -------------------------------------------------------------------------------------------
# n8n runs in its user folder, not in the repository: TypeORM falls back to <cwd>/node_modules/<driver> when a
# package cannot require its database driver, which would hide an installed package that lacks one
cd "$USER_FOLDER"
URL="http://localhost:$PORT"
if (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; then
	fail "port $PORT is already in use" "stop the other n8n (or whatever listens there), or N8N_PORT=5680 npm start"
fi
cat >&2 <<EOF

  n8n $("$N8N_BIN" --version 2>/dev/null | tail -n 1) with $PKG_NAME (node types: $NODE_PREFIX.<node>)
  URL:                $URL
  n8n user folder:    $USER_FOLDER   (n8n data in $USER_FOLDER/.n8n)
  association store:  $USER_FOLDER/.n8n/associations.sqlite   (credential "Association Store", id assocStoreDefault:
                      SQLite with an empty path = this default file; the examples use it)
  stop with Ctrl+C

EOF

if [[ "$CHECK" == "1" ]]; then
	LOG="$USER_FOLDER/.n8n/start-check.log"
	# n8n writes the node types it loaded (what the editor offers) to this file at every start
	TYPES_JSON="$USER_FOLDER/.cache/n8n/public/types/nodes.json"
	rm -f "$TYPES_JSON"
	"$N8N_BIN" start >"$LOG" 2>&1 &
	PID=$!
	START=$(date +%s)
	ok=0
	# /healthz answers 200 as soon as the HTTP server listens (~8 s), long before n8n is usable;
	# /healthz/readiness stays 503 until the database, nodes and editor are up (~16 s)
	for _ in $(seq 1 240); do
		if curl -fsS -m 5 "$URL/healthz/readiness" >/dev/null 2>&1; then
			ok=1
			break
		fi
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.5
	done
	if [[ "$ok" == "1" ]] && grep -E "Skipping package|Failed to load package|Error loading package" "$LOG" >&2; then
		log "n8n started but did not load $PKG_NAME (see above)"
		ok=0
	fi
	if [[ "$ok" == "1" ]]; then
		log "n8n ready after $(($(date +%s) - START)) s: /healthz $(curl -sS -m 5 "$URL/healthz"), /healthz/readiness $(curl -sS -m 5 "$URL/healthz/readiness")"
		code="$(curl -sS -m 10 -o /dev/null -w '%{http_code}' "$URL/" || true)"
		log "editor page $URL/ -> HTTP $code"
		[[ "$code" == "200" ]] || ok=0
	fi
	if [[ "$ok" == "1" ]]; then
		# every node of package.json "n8n" (and its AI-tool variant) must be among the loaded node types
		types_ok=0
		for _ in $(seq 1 60); do
			rc=0
			(cd "$REPO_DIR" && node -e '
				const [typesFile, prefix] = process.argv.slice(1);
				const p = require("./package.json");
				const descriptions = p.n8n.nodes.map((file) => {
					const mod = require("./" + file);
					const Node = Object.values(mod).find((v) => typeof v === "function");
					return new Node().description;
				});
				const expected = descriptions.map((d) => `${prefix}.${d.name}`);
				// n8n adds a "<type>Tool" variant only for nodes marked usableAsTool (not for the trigger)
				const tools = descriptions.filter((d) => d.usableAsTool).map((d) => `${prefix}.${d.name}Tool`);
				let loaded;
				try { loaded = new Set(JSON.parse(require("fs").readFileSync(typesFile, "utf8")).map((t) => t.name)); }
				catch { process.exit(1); } // not written (completely) yet
				const missing = [...expected, ...tools].filter((t) => !loaded.has(t));
				if (missing.length) { console.error("[start] node types NOT loaded by n8n: " + missing.join(", ")); process.exit(2); }
				console.error("[start] node types loaded by n8n: " + expected.join(", ") + " (+ " + tools.length + " Tool variants)");
			' "$TYPES_JSON" "$NODE_PREFIX") || rc=$?
			[[ "$rc" == "0" ]] && types_ok=1
			[[ "$rc" == "1" ]] || break
			sleep 0.5
		done
		[[ "$types_ok" == "1" ]] || { log "n8n did not list this package's node types in $TYPES_JSON"; ok=0; }
	fi
	kill -TERM "$PID" 2>/dev/null || true
	for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
	kill -KILL "$PID" 2>/dev/null || true
	wait "$PID" 2>/dev/null || true
	[[ "$ok" == "1" ]] || {
		tail -n 30 "$LOG" >&2
		fail "n8n did not become ready on $URL (log: $LOG)"
	}
	log "check passed; n8n stopped"
	exit 0
fi

exec "$N8N_BIN" start
