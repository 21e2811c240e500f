#!/usr/bin/env bash
# `npm test`: lint, then every jest suite (core on SQLite and PostgreSQL, nodes through n8n's engine, end-to-end in a real n8n).
set -euo pipefail
source "$(dirname "$0")/toolchain.sh"
cd "$repo_root"
npm run lint
# The end-to-end suites load the built package (dist/) into a real n8n.
npm run build
npx jest "$@"
