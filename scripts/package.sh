#!/usr/bin/env bash
# Packages the generator and the library as crates.io would receive them: the declared
# rust-version holds for every dependency, each package holds exactly what a build needs (no
# tests, fixtures, node_modules or scripts), and cargo's verify build compiles the packaged
# library against the packaged generator. Usage: bash scripts/package.sh
set -euo pipefail
cd "$(dirname "$0")/.."

echo "--- rust-version: no dependency needs a newer Rust than the workspace declares"
cargo metadata --locked --format-version 1 | python3 -c '
import json, sys
meta = json.load(sys.stdin)
ours = {p["name"]: p for p in meta["packages"] if p["source"] is None}
declared = ours["cloudflare-mtls"]["rust_version"]
v = lambda s: tuple(int(x) for x in s.split("."))
newer = [(p["name"], p["version"], p["rust_version"]) for p in meta["packages"]
         if p.get("rust_version") and v(p["rust_version"]) > v(declared)]
# Only what the two published crates depend on counts (the CLI and dev-dependencies are not published
# with them, but a newer requirement anywhere in the lock file is reported as well).
if newer:
    sys.exit("error: rust-version " + declared + " is older than these dependencies need: " + repr(newer))
print("rust-version", declared, "covers all", len(meta["packages"]), "packages of the lock file")
'

echo "--- file lists"
mkdir -p target/package
check_list() { # package allowed-regex
  local package=$1 allowed=$2
  cargo package --locked --list -p "$package" > "target/package/$package.txt"
  if grep -Ev "$allowed" "target/package/$package.txt"; then
    echo "error: $package: the files above are not part of a build" >&2
    exit 1
  fi
  echo "$package: $(wc -l < "target/package/$package.txt") files"
}
check_list cloudflare-mtls-codegen \
  '^(Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json|README\.md|LICENSE-(MIT|APACHE)|src/.*\.rs)$'
check_list cloudflare-mtls \
  '^(Cargo\.toml|Cargo\.toml\.orig|Cargo\.lock|\.cargo_vcs_info\.json|README\.md|LICENSE-(MIT|APACHE)|build\.rs|spec/(cloudflare-mtls\.json|overlay\.toml|upstream-patches\.json|README\.md)|src/.*\.rs)$'
for must in build.rs spec/cloudflare-mtls.json spec/overlay.toml spec/upstream-patches.json src/lib.rs README.md; do
  grep -qx "$must" target/package/cloudflare-mtls.txt || { echo "error: $must is not packaged" >&2; exit 1; }
done

echo "--- cargo package (verify: the packaged library built against the packaged generator)"
# cargo verifies the library against the generator through a local registry in target/package and
# unpacks the generator into $CARGO_HOME/registry/src/<hash of that path>/. An unpacked copy of an
# earlier run with the same version is reused as it is, so the library would be verified against a
# stale generator: remove our own packages' unpacked copies (crates.io's are left alone).
for stale in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/cloudflare-mtls-*; do
  [ -e "$stale" ] && rm -rf "$stale"
done
cargo package --locked -p cloudflare-mtls-codegen -p cloudflare-mtls
ls -l target/package/*.crate
