#!/usr/bin/env bash
# Cloudflare's official Python SDK (PyPI `cloudflare`, pinned in scripts/sdk/requirements.txt)
# against `cfmtls stand-in`: every operation of the crate, with faults injected through the admin
# API (scripts/sdk/check_python_sdk.py). Needs python3 (3.9 or later, with venv) and PyPI; reads
# nothing from ../shared. The venv lives in target/sdk-check/ (reused when its pins match).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! python3 -c 'import venv, ensurepip' 2>/dev/null; then
  # Debian and Ubuntu ship venv's pip bootstrap separately.
  sudo=$(command -v sudo || true)
  $sudo apt-get update -qq && $sudo apt-get install -y -qq python3-venv
fi

venv=target/sdk-check/venv
pins=scripts/sdk/requirements.txt
if ! cmp -s "$pins" "$venv/pins.txt" 2>/dev/null; then
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$pins"
  "$venv/bin/python" -m pip check
  cp "$pins" "$venv/pins.txt"
fi

cargo build --locked --quiet -p cfmtls
# Deprecated SDK methods called by the driver are errors (the SDK's current names are driven);
# bounded, as a client that never stops paging would never end.
PYTHONDONTWRITEBYTECODE=1 timeout 600 "$venv/bin/python" -W 'error::DeprecationWarning:__main__' \
  scripts/sdk/check_python_sdk.py target/debug/cfmtls
