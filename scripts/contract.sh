#!/usr/bin/env bash
# Contract tests, in two stages, against Cloudflare's published mTLS spec with Stoplight Prism (a
# third-party OpenAPI validator, pinned in contract/package-lock.json):
#   1. the client: every generated operation sent to `prism mock` serving the spec
#      (tests/contract/client.rs);
#   2. the stand-in (`cloudflare_mtls::testing::StandIn`): every operation sent through the client
#      to `prism proxy` in front of it, which validates each request and each of the stand-in's
#      responses against the spec (tests/contract/stand_in.rs).
#
#   bash scripts/contract.sh
#
# Needs: node >= 18.20 and npm (Prism 5.14.2 is installed into contract/node_modules from the npm
# registry, install scripts disabled), python3, cargo, and Cloudflare's spec at
# ../shared/specs/cloudflare-mtls-2024-08-06.json (override with CONTRACT_SPEC=/path/to/spec.json)
# with its full document beside it, ../shared/specs/cloudflare-openapi-2024-08-06.json (override
# with CONTRACT_FULL_SPEC=...).
#
# Steps: install Prism (`npm ci --ignore-scripts`); copy the spec to a temporary file, which both
# stages use, with these rewrites:
#   - the API Shield hostname associations of a CA
#     (`/zones/{zone_id}/certificate_authorities/hostname_associations`, GET and PUT) are taken
#     from the full document, with every component they reach that the slice lacks: the slice was
#     cut by path and leaves them out. Their `mtls_certificate_id` loses `minLength`/`maxLength:
#     36` (a UUID), which contradicts the same document's id of an mTLS certificate (an
#     `_identifier`, at most 32 characters, example `023e105f…`): no id the upload returns could
#     be sent (spec/README.md, "Irregularities");
#   - the items of the hostname-certificate list are the certificate object that get and create
#     return (`schemas-certificateObject`), as Cloudflare's SDKs and reference have them since
#     2026-02, not the hostname association (spec/README.md, revision .5);
#   - the three deletes that declare a required `requestBody` with no schema
#     (`mtls_certificates/{id}`, `origin_tls_client_auth/{id}`,
#     `origin_tls_client_auth/hostnames/certificates/{id}`) declare none: Cloudflare's SDKs send
#     none, and neither does this client (spec/README.md, revision .5);
#   - every operation's `security` becomes `[{api_token}, {api_email, api_key}]`: Cloudflare's
#     document lists only email + key on these operations; the rewrite lets the token client be
#     validated too;
#   - the reactivate PATCH declares its `{reactivate}` body, which the document predates (our spec
#     is newer: spec/README.md, revision .3);
#   - `result` of the failure envelopes (`*_api-response-common-failure`) becomes `{enum: [null]}`
#     instead of `{type: object, nullable: true, enum: [null]}`: Prism turns the latter into
#     `enum: [null, null]`, which its JSON Schema validator (Ajv) refuses to compile, and then skips
#     the validation of every `4XX` response without a word;
#   - a `4XX` schema `allOf: [<the success envelope>, <the failure envelope>]` (18 operations)
#     becomes the failure envelope alone, as Cloudflare's own document has it for the Access and
#     three client-certificate operations: `success` is `enum: [true]` in one member and
#     `enum: [false]` in the other, so no response could pass (spec/README.md, "Irregularities").
#     These two repairs let stage 2 validate error responses; stage 1 is the same with or without
#     them.
# Stage 1: start `prism mock` on a free loopback port; wait until it answers; run
# `cargo test --locked --features contract-tests --test contract -- client::` with CONTRACT_BASE_URL
# pointing at it; stop Prism (by PID, always); print Prism's request and violation counts.
# Stage 2: run `cargo test --locked --features contract-tests --test contract -- stand_in::` with
# CONTRACT_PRISM (the Prism executable), CONTRACT_SPEC_FILE (the temporary spec) and
# CONTRACT_PROXY_LOG_DIR: each test starts a stand-in, then `prism proxy` in front of it (the
# upstream URL is only known once the stand-in runs), writes Prism's log and pid there, and stops
# it; the script stops any left running (by PID). Print the proxy's request and violation counts.
# Exit non-zero if either stage's tests fail or the proxy reports any violation of the stand-in.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

spec=${CONTRACT_SPEC:-$root/../shared/specs/cloudflare-mtls-2024-08-06.json}
full_spec=${CONTRACT_FULL_SPEC:-$root/../shared/specs/cloudflare-openapi-2024-08-06.json}
if [[ ! -f "$full_spec" ]]; then
  echo "contract.sh: error: Cloudflare's full document not found at $full_spec" >&2
  echo "contract.sh: the hostname associations are taken from it (or CONTRACT_FULL_SPEC=...)" >&2
  exit 1
fi
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
stop_mock() {
  if [[ -n "$prism_pid" ]] && kill -0 "$prism_pid" 2>/dev/null; then
    kill "$prism_pid" 2>/dev/null || true
    wait "$prism_pid" 2>/dev/null || true
  fi
  prism_pid=""
}
cleanup() {
  stop_mock
  # Proxies the stage-2 tests started and could not stop (the test process killed): by PID.
  for pidfile in "$workdir"/proxy/*.pid; do
    [[ -f "$pidfile" ]] || continue
    pid=$(cat "$pidfile")
    if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
      kill "$pid" 2>/dev/null || true
    fi
  done
  rm -rf "$workdir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

tmp_spec=$workdir/cloudflare-mtls.json
log=$workdir/prism.log

echo "==> temporary spec: every operation accepts {api_token} or {api_email, api_key};" \
  "the hostname associations from the full document; certificate items in the hostname-certificate list; bodiless deletes; the reactivate PATCH declares its body; the 4XX envelopes are repaired"
python3 - "$spec" "$tmp_spec" "$full_spec" <<'PY'
import json, sys

src, dst, full_src = sys.argv[1], sys.argv[2], sys.argv[3]
with open(src) as f:
    doc = json.load(f)
with open(full_src) as f:
    full = json.load(f)
methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}

# The hostname associations of a CA, from the full document, with the components they reach.
assoc_path = "/zones/{zone_id}/certificate_authorities/hostname_associations"
if assoc_path in doc.get("paths", {}):
    sys.exit(f"contract.sh: {src} has {assoc_path} already: drop the graft")
if assoc_path not in full.get("paths", {}):
    sys.exit(f"contract.sh: {full_src} has no {assoc_path}")
doc["paths"][assoc_path] = full["paths"][assoc_path]
components = doc.setdefault("components", {})
copied = 0
pending = [doc["paths"][assoc_path]]
while pending:
    node = pending.pop()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/"):
            kind, name = ref[len("#/components/"):].split("/", 1)
            if name not in components.setdefault(kind, {}):
                try:
                    components[kind][name] = full["components"][kind][name]
                except KeyError:
                    sys.exit(f"contract.sh: {full_src} has no {ref}")
                copied += 1
                pending.append(components[kind][name])
        pending.extend(node.values())
    elif isinstance(node, list):
        pending.extend(node)
# `mtls_certificate_id`: the id an upload returns (an `_identifier`), not a 36-character UUID.
relaxed = 0
def relax(schema):
    global relaxed
    for key in ("minLength", "maxLength"):
        if schema.pop(key, None) is not None:
            relaxed += 1
for op in doc["paths"][assoc_path].values():
    for param in op.get("parameters", []):
        if param.get("name") == "mtls_certificate_id":
            relax(param.get("schema", {}))
body = components["schemas"].get("tls-certificates-and-hostnames_hostname_association", {})
relax(body.get("properties", {}).get("mtls_certificate_id", {}))
if relaxed == 0:
    sys.exit("contract.sh: no length of mtls_certificate_id to relax: drop the rewrite")
# Hostname-certificate list items: the certificate object that get and create return (Cloudflare's
# SDKs and reference since 2026-02; spec/README.md, revision .5), not the hostname association.
collection = components["schemas"].get(
    "tls-certificates-and-hostnames_hostname-authenticated-origin-pull_components-schemas-certificate_response_collection", {})
try:
    items = collection["allOf"][1]["properties"]["result"]["items"]
except (KeyError, IndexError, TypeError):
    sys.exit("contract.sh: the hostname-certificate list has no `result.items` to rewrite: drop the rewrite")
items["$ref"] = "#/components/schemas/tls-certificates-and-hostnames_schemas-certificateObject"
# Deletes that require a body without a schema: none is sent.
bodiless = 0
for item in doc.get("paths", {}).values():
    op = item.get("delete")
    body = op.get("requestBody") if op else None
    if body and not any(m.get("schema") for m in body.get("content", {}).values()):
        del op["requestBody"]
        bodiless += 1
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
# The failure envelopes' `result`: `{type: object, nullable: true, enum: [null]}` becomes
# `{enum: [null]}` (Prism makes the former `enum: [null, null]`, which Ajv refuses to compile, and
# then validates no 4XX response).
schemas = doc.get("components", {}).get("schemas", {})
failures = sorted(n for n in schemas if n.endswith("api-response-common-failure"))
if not failures:
    sys.exit(f"contract.sh: {src} has no failure envelope (*api-response-common-failure)")
for name in failures:
    result = schemas[name].get("properties", {}).get("result")
    if not isinstance(result, dict) or result.get("enum") != [None]:
        sys.exit(f"contract.sh: {name}.result is not `enum: [null]`: {result!r}")
    schemas[name]["properties"]["result"] = {"enum": [None]}
# `4XX` schemas `allOf: [<success envelope>, <failure envelope>]` (no response can be both)
# become the failure envelope alone.
refs = {f"#/components/schemas/{n}" for n in failures}
reduced = 0
for item in doc.get("paths", {}).values():
    for method, op in item.items():
        if method not in methods:
            continue
        for code, response in op.get("responses", {}).items():
            if not code.startswith("4"):
                continue
            for media in response.get("content", {}).values():
                members = media.get("schema", {}).get("allOf", [])
                failure = [m for m in members if m.get("$ref") in refs]
                if len(members) > 1 and failure:
                    media["schema"] = failure[0]
                    reduced += 1
if reduced == 0:
    sys.exit(f"contract.sh: {src} has no 4XX allOf with a failure envelope to reduce")
with open(dst, "w") as f:
    json.dump(doc, f)
print(f"hostname associations taken from the full document with {copied} components, "
      f"{relaxed} lengths of mtls_certificate_id relaxed; {bodiless} deletes without a body; "
      f"{count} operations rewritten; {len(failures)} failure envelopes' result made plain null; "
      f"{reduced} 4XX envelopes reduced to the failure envelope")
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

echo "==> stage 1: cargo test --locked --features contract-tests --test contract -- client::"
status=0
CONTRACT_BASE_URL=$base_url CONTRACT_UPSTREAM_SPEC=$tmp_spec CONTRACT_PRISM_LOG=$log \
  cargo test --locked --features contract-tests --test contract -- client:: --nocapture || status=$?
stop_mock

# Prism's side: what it received and what it refused. The refusals are the suite's deliberate
# probes (the user service key on every operation, out-of-range and malformed requests); a
# violation on any other request fails the tests themselves.
count() { grep -c "$1" "$2" || true; }
echo "==> Prism mock: $(count 'Request received' "$log") requests received," \
  "$(count 'The request passed the validation rules' "$log") passed validation," \
  "$(count 'Request did not pass the validation rules' "$log") refused"
if grep -q 'Violation: ' "$log"; then
  echo "    violations reported (count, location, message):"
  sed -n 's/^.*Violation: //p' "$log" | sort | uniq -c | sed 's/^/    /'
fi
if [[ $status -ne 0 ]]; then
  echo "==> stage 1: contract tests failed; Prism's log:" >&2
  cat "$log" >&2
fi

# Stage 2: the stand-in behind `prism proxy`, started by the tests themselves.
proxy_logs=$workdir/proxy
mkdir -p "$proxy_logs"
echo "==> stage 2: cargo test --locked --features contract-tests --test contract -- stand_in::"
proxy_status=0
CONTRACT_PRISM=$prism CONTRACT_SPEC_FILE=$tmp_spec CONTRACT_PROXY_LOG_DIR=$proxy_logs \
  cargo test --locked --features contract-tests --test contract -- stand_in:: --nocapture \
  || proxy_status=$?

# The proxy's side. stand-in.log: the stateful run, which must have no violation at all.
# probes.log: deliberately broken answers and an out-of-range request, which must all be reported.
stand_in_log=$proxy_logs/stand-in.log
probes_log=$proxy_logs/probes.log
violations=0
if [[ -f "$stand_in_log" ]]; then
  violations=$(count 'Violation: ' "$stand_in_log")
  echo "==> Prism proxy (stand-in):" \
    "$(count 'Request received' "$stand_in_log") requests received," \
    "$(count '> Forwarding "' "$stand_in_log") forwarded to the stand-in," \
    "$violations violations"
  if [[ $violations -ne 0 ]]; then
    echo "    violations reported (count, location, message):"
    sed -n 's/^.*Violation: //p' "$stand_in_log" | sort | uniq -c | sed 's/^/    /'
  fi
else
  echo "==> Prism proxy (stand-in): no log (the test did not start Prism)" >&2
  [[ $proxy_status -ne 0 ]] || proxy_status=1
fi
if [[ -f "$probes_log" ]]; then
  echo "==> Prism proxy (probes): $(count 'Request received' "$probes_log") requests received," \
    "$(count 'Violation: ' "$probes_log") violations reported" \
    "(deliberate: broken answers, a request out of range)"
fi
if [[ $violations -ne 0 && $proxy_status -eq 0 ]]; then
  proxy_status=1
fi
if [[ $proxy_status -ne 0 ]]; then
  echo "==> stage 2: stand-in contract tests failed" >&2
  if [[ -f "$stand_in_log" ]]; then
    echo "==> Prism proxy's log (stand-in):" >&2
    cat "$stand_in_log" >&2
  fi
fi

if [[ $status -ne 0 ]]; then
  exit $status
fi
exit $proxy_status
