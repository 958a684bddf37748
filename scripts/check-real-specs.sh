#!/usr/bin/env bash
# The generator on Cloudflare's real published documents (../shared/specs: the three full documents
# of 2023-01-31, 2023-11-30 and 2024-08-06 and their mTLS slices): every operation is
# generated (none dropped, empty overlay: no selection), degradations are counted, and the crate
# compiles warning-free when built from each of them with CLOUDFLARE_MTLS_SPEC; then as users build
# it from the full documents (selection, patches) and with CLOUDFLARE_MTLS_ALL_OPERATIONS=1. Needs ../shared beside the checkout; fails loudly
# without it. Usage: bash scripts/check-real-specs.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
specs="$root/../shared/specs"
# Each of Cloudflare's documents here, with the number of operations it has (none may be dropped).
documents=(
  "mtls-2023-01-31 cloudflare-mtls-2023-01-31.json 27"
  "mtls-2023-11-30 cloudflare-mtls-2023-11-30.json 36"
  "mtls-2024-08-06 cloudflare-mtls-2024-08-06.json 36"
  "full-2023-01-31 cloudflare-openapi-2023-01-31.json 1150"
  "full-2023-11-30 cloudflare-openapi-2023-11-30.json 1387"
  "full-2024-08-06 cloudflare-openapi-2024-08-06.json 1533"
)
for d in "${documents[@]}"; do
  f="$specs/$(echo "$d" | cut -d' ' -f2)"
  if [ ! -f "$f" ]; then
    echo "error: $f is missing: the real-spec check needs ../shared/specs beside the checkout" >&2
    exit 1
  fi
done

target="$root/target/real-specs"
mkdir -p "$target"
: > "$target/empty-overlay.toml"

cargo build --locked --quiet --release -p cloudflare-mtls-codegen --example generate
gen="$root/target/release/examples/generate"

check() { # name spec expected-operations
  local name=$1 spec=$2 expected=$3
  echo "--- $name: generate"
  local summary
  summary=$("$gen" "$spec" -o "$target/$name.rs" -v 2>&1 | tee "$target/$name.log" | tail -n 1)
  grep '^degraded:' "$target/$name.log" || true
  echo "$summary"
  "$gen" "$spec" -o "$target/$name.again.rs" 2>/dev/null
  if ! cmp -s "$target/$name.rs" "$target/$name.again.rs"; then
    echo "error: $name: two runs of the generator gave different bytes" >&2
    exit 1
  fi
  echo "two runs: byte-identical"
  local ops=${summary%% operations*}
  if [ "$ops" != "$expected" ]; then
    echo "error: $name: $ops operations generated, expected $expected (none may be dropped)" >&2
    exit 1
  fi
  echo "--- $name: cargo check with CLOUDFLARE_MTLS_SPEC (warnings are errors)"
  CARGO_TARGET_DIR="$target/check" CLOUDFLARE_MTLS_SPEC="$spec" \
    CLOUDFLARE_MTLS_OVERLAY="$target/empty-overlay.toml" RUSTFLAGS="-D warnings" \
    cargo check --locked --quiet --lib -p cloudflare-mtls
  echo "--- $name: ok"
}

for d in "${documents[@]}"; do
  read -r name file ops <<< "$d"
  started=$SECONDS
  check "$name" "$specs/$file" "$ops"
  echo "    ($((SECONDS - started)) s)"
done

# The crate as users build it from Cloudflare's full documents: the overlay's selection and the
# upstream patches (build.rs applies spec/upstream-patches.json to CLOUDFLARE_MTLS_SPEC), and once
# every operation with the overlay's names (CLOUDFLARE_MTLS_ALL_OPERATIONS=1).
for d in "${documents[@]}"; do
  read -r name file _ <<< "$d"
  case "$name" in full-*) ;; *) continue ;; esac
  echo "--- $name: cargo check through the selection, with the patches (warnings are errors)"
  started=$SECONDS
  CARGO_TARGET_DIR="$target/check" CLOUDFLARE_MTLS_SPEC="$specs/$file" RUSTFLAGS="-D warnings" \
    cargo check --locked --quiet --lib -p cloudflare-mtls
  echo "    ($((SECONDS - started)) s)"
done
echo "--- full-2024-08-06: every operation with the overlay's names (CLOUDFLARE_MTLS_ALL_OPERATIONS=1)"
started=$SECONDS
CARGO_TARGET_DIR="$target/check" CLOUDFLARE_MTLS_SPEC="$specs/cloudflare-openapi-2024-08-06.json" \
  CLOUDFLARE_MTLS_ALL_OPERATIONS=1 RUSTFLAGS="-D warnings" \
  cargo check --locked --quiet --lib -p cloudflare-mtls
echo "    ($((SECONDS - started)) s)"

# What regenerating from each of Cloudflare's mTLS documents would change in the public API
# (exit 1 means breaking changes, reported; 2 means a document that does not generate: a failure).
cargo build --locked --quiet --release -p cloudflare-mtls-codegen --example api-diff
for d in "${documents[@]}"; do
  read -r name file _ <<< "$d"
  case "$name" in mtls-*) ;; *) continue ;; esac
  echo "--- api-diff: spec/cloudflare-mtls.json -> $file (spec/overlay.toml)"
  status=0
  "$root/target/release/examples/api-diff" "$root/spec/cloudflare-mtls.json" "$specs/$file" \
    --overlay "$root/spec/overlay.toml" --patches "$root/spec/upstream-patches.json" \
    > "$target/api-diff-$name.txt" || status=$?
  if [ "$status" -gt 1 ]; then
    cat "$target/api-diff-$name.txt" >&2
    echo "error: api-diff failed on $file" >&2
    exit 1
  fi
  tail -n 1 "$target/api-diff-$name.txt"
done
