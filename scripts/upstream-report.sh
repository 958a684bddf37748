#!/usr/bin/env bash
# The update procedure's report (spec/README.md, "How to update") over Cloudflare's three full
# documents in ../shared/specs: what each would change for the crate's operations, which patches no
# longer apply, which operations the families gained. The current document (2024-08-06) must give
# no breaking difference and every patch must apply (exit 0); the older ones are reported (exit 1
# is expected: spec/README.md lists their differences). Usage: bash scripts/upstream-report.sh
set -euo pipefail
cd "$(dirname "$0")/.."
specs="$PWD/../shared/specs"
out="$PWD/target/upstream-report"
mkdir -p "$out"
cargo build --locked --quiet --release -p cloudflare-mtls-codegen --example upstream-report
report="$PWD/target/release/examples/upstream-report"
for date in 2023-01-31 2023-11-30 2024-08-06; do
  doc="$specs/cloudflare-openapi-$date.json"
  if [ ! -f "$doc" ]; then
    echo "error: $doc is missing: the report needs ../shared/specs beside the checkout" >&2
    exit 1
  fi
  echo "--- upstream-report $doc"
  status=0
  "$report" "$doc" > "$out/$date.txt" || status=$?
  grep -E '^## ' "$out/$date.txt" | sed 's/^## /    /'
  if [ "$status" -gt 1 ]; then
    cat "$out/$date.txt" >&2
    echo "error: upstream-report failed on $doc" >&2
    exit 1
  fi
  if [ "$date" = 2024-08-06 ] && [ "$status" -ne 0 ]; then
    cat "$out/$date.txt" >&2
    echo "error: the current document must give no breaking difference and every patch must apply" >&2
    exit 1
  fi
done
