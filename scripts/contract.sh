#!/usr/bin/env bash
# Contract tests: every generated operation sent to Stoplight Prism (a third-party OpenAPI validator,
# pinned in contract/package-lock.json) serving Cloudflare's published mTLS spec.
#
#   bash scripts/contract.sh
#
# Needs: node >= 18.20 and npm (Prism 5.14.2 is installed into contract/node_modules from the npm
# registry, install scripts disabled), python3, cargo, and Cloudflare's spec at
# ../shared/specs/cloudflare-mtls-2024-08-06.json (override with CONTRACT_SPEC=/path/to/spec.json).
#
# Steps: install Prism (`npm ci --ignore-scripts`); copy the spec to a temporary file, rewriting every
# operation's `security` to `[{api_token}, {api_email, api_key}]` (Cloudflare's document lists only
# email + key on these operations; the rewrite lets the token client be validated too), and
# declaring the reactivate PATCH's `{reactivate}` body, which the document predates; start
# `prism mock` on a free loopback port; wait until it answers; run
# `cargo test --locked --features contract-tests --test contract` with CONTRACT_BASE_URL pointing at
# it; stop Prism (by PID, always); print Prism's request and violation counts; exit with the tests'
# status.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

spec=${CONTRACT_SPEC:-$root/../shared/specs/cloudflare-mtls-2024-08-06.json}
if [[ ! -f "$spec" ]]; then
  echo "contract.sh: error: Cloudflare's spec not found at $spec" >&2
  echo "contract.sh: the contract tests need ../shared/specs/cloudflare-mtls-2024-08-06.json (or CONTRACT_SPEC=...)" >&2
  exit 1
fi
for tool in node npm python3 cargo; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "contract.sh: error: '$tool' is required but not on PATH" >&2
    exit 1
  fi
done

echo "==> installing Prism (npm ci --ignore-scripts, contract/)"
(cd contract && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
prism=$root/contract/node_modules/.bin/prism
echo "prism $("$prism" --version)"

workdir=$(mktemp -d "${TMPDIR:-/tmp}/cloudflare-mtls-contract.XXXXXX")
prism_pid=""
cleanup() {
  if [[ -n "$prism_pid" ]] && kill -0 "$prism_pid" 2>/dev/null; then
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
  fi
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tmp_spec=$workdir/cloudflare-mtls.json
log=$workdir/prism.log

echo "==> temporary spec: every operation accepts {api_token} or {api_email, api_key}; the reactivate PATCH declares its body"
python3 - "$spec" "$tmp_spec" <<'PY'
import json, sys

src, dst = sys.argv[1], sys.argv[2]
with open(src) as f:
    doc = json.load(f)
methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
schemes = doc.get("components", {}).get("securitySchemes", {})
for name in ("api_token", "api_email", "api_key"):
    if name not in schemes:
        sys.exit(f"contract.sh: {src} has no security scheme {name!r}")
# Newer than the document (spec/README.md, revision .3): the reactivate PATCH takes
# `{reactivate: boolean}`. Prism refuses any body an operation does not declare, so the copy
# declares this one, and the client's body is validated against it.
reactivate = {
    "content": {"application/json": {"schema": {
        "type": "object", "additionalProperties": False,
        "properties": {"reactivate": {"type": "boolean"}}}}}}
count = 0
for item in doc.get("paths", {}).values():
    for method, op in item.items():
        if method in methods:
            op["security"] = [{"api_token": []}, {"api_email": [], "api_key": []}]
            if op.get("operationId") == "client-certificate-for-a-zone-edit-client-certificate":
                op.setdefault("requestBody", reactivate)
            count += 1
if count == 0:
    sys.exit(f"contract.sh: {src} has no operations")
with open(dst, "w") as f:
    json.dump(doc, f)
print(f"{count} operations rewritten")
PY

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
base_url=http://127.0.0.1:$port

echo "==> starting prism mock on $base_url (log: $log)"
"$prism" mock -h 127.0.0.1 -p "$port" "$tmp_spec" >"$log" 2>&1 &
prism_pid=$!

# Ready when it answers any HTTP request (a 404 for an unknown path is an answer).
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$prism_pid" 2>/dev/null; then
    break
  fi
  if python3 - "$port" <<'PY' 2>/dev/null; then
import http.client, sys
conn = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=2)
conn.request("GET", "/__contract_ready")
conn.getresponse().read()
PY
    ready=1
    break
  fi
  sleep 0.5
done
if [[ -z "$ready" ]]; then
  echo "contract.sh: error: Prism did not answer on $base_url within 60 s; its log:" >&2
  cat "$log" >&2
  exit 1
fi
echo "Prism is up (pid $prism_pid)"

echo "==> cargo test --locked --features contract-tests --test contract"
status=0
CONTRACT_BASE_URL=$base_url CONTRACT_UPSTREAM_SPEC=$spec CONTRACT_PRISM_LOG=$log \
  cargo test --locked --features contract-tests --test contract -- --nocapture || status=$?

# Prism's side: what it received and what it refused. The refusals are the suite's deliberate
# probes (the user service key on every operation, out-of-range and malformed requests); a
# violation on any other request fails the tests themselves.
count() { grep -c "$1" "$log" || true; }
echo "==> Prism: $(count 'Request received') requests received," \
  "$(count 'The request passed the validation rules') passed validation," \
  "$(count 'Request did not pass the validation rules') refused"
if grep -q 'Violation: ' "$log"; then
  echo "    violations reported (count, location, message):"
  sed -n 's/^.*Violation: //p' "$log" | sort | uniq -c | sed 's/^/    /'
fi
if [[ $status -ne 0 ]]; then
  echo "==> contract tests failed; Prism's log:" >&2
  cat "$log" >&2
fi
exit $status
