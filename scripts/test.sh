#!/usr/bin/env bash
# `npm test`: lint, then every jest suite (core on SQLite and PostgreSQL, nodes through n8n's engine, end-to-end in a real n8n).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$repo_root"
npm run lint
# The end-to-end suites load the built package (dist/) into a real n8n.
npm run build
report="$(mktemp -t jest-report.XXXXXX.json)"
status=0
npx jest --json --outputFile="$report" "$@" || status=$?
# One plain closing line for CI readers: "N passed, N failed".
node -e 'const r = require(process.argv[1]); console.log(`jest: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (r.numPendingTests ? `, ${r.numPendingTests} skipped` : ""))' "$report" || true
rm -f "$report"
exit "$status"
