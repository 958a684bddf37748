#!/usr/bin/env python3
"""Benchmarks, ours and progenitor 0.15 side by side, in one run; writes BENCHMARKS.md.

    python3 scripts/bench.py            # full: vendored spec, Cloudflare's mTLS slice and full API
    python3 scripts/bench.py --quick    # CI: small inputs, few repetitions (timings not asserted)
    python3 scripts/bench.py --builds   # also `cargo build` after touching the spec (slow: minutes)

Generation is timed from the outside: each run is a fresh process (`bench/target/*/gen`) under
/usr/bin/time, giving wall time and peak RSS. Progenitor gets the smallest documented edit where it
cannot take an input: request bodies with no schema are dropped, and operations it cannot generate
alone (found by `gen triage`) are removed; both sides are then also compared on the same operations.
"""
import argparse
import datetime
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(ROOT, "..", "shared", "specs")
WORK = os.path.join(ROOT, "target", "bench")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


def timed(cmd, env=None):
    """Runs cmd under /usr/bin/time; returns (stdout, seconds, peak MB)."""
    fmt = "%e %M"
    p = subprocess.run(["/usr/bin/time", "-f", fmt] + cmd, text=True, capture_output=True, env=env)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip().splitlines()[-2:] if p.stderr else p.returncode)
    secs, kb = p.stderr.strip().splitlines()[-1].split()
    return p.stdout, float(secs), int(kb) / 1024


def stats(values):
    return {"median": statistics.median(values), "min": min(values), "max": max(values), "n": len(values)}


def operations(doc):
    return [(p, m, op) for p, item in doc.get("paths", {}).items() for m, op in item.items()
            if m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")]


def edit_for_progenitor(gen, src, name):
    """The smallest edit progenitor needs: returns (path, list of edits, kept operation count)."""
    doc = json.load(open(src))
    edits = []
    dropped_bodies = 0
    for _, _, op in operations(doc):
        body = op.get("requestBody")
        content = body.get("content", {}) if isinstance(body, dict) else {}
        if body is not None and not any("schema" in (m or {}) for m in content.values()):
            del op["requestBody"]
            dropped_bodies += 1
    if dropped_bodies:
        edits.append(f"dropped {dropped_bodies} request bodies with no schema")
    path = os.path.join(WORK, f"{name}.progenitor.json")
    json.dump(doc, open(path, "w"))
    try:
        timed([gen, "progenitor", path, os.path.join(WORK, f"{name}.progenitor.rs")])
        return path, edits, len(operations(doc))
    except RuntimeError:
        pass
    failing_file = os.path.join(WORK, f"{name}.failing.txt")
    failing = triage(gen, doc, name)
    open(failing_file, "w").write("".join(f"{op}\t{why}\n" for op, why in sorted(failing.items())))
    for p, item in list(doc["paths"].items()):
        for m in [m for m, op in item.items() if isinstance(op, dict) and op.get("operationId") in failing]:
            del item[m]
        if not any(k in item for k in ("get", "put", "post", "delete", "patch", "head", "options", "trace")):
            del doc["paths"][p]
    edits.append(f"removed {len(failing)} operations progenitor cannot generate alone (list: target/bench/{name}.failing.txt) "
                 "and the components only they reached")
    json.dump(prune(doc), open(path, "w"))
    return path, edits, len(operations(doc))


def prune(doc):
    """Keeps only the components reachable by `$ref` from the paths."""
    keep, stack = set(), [doc["paths"]]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            for k, child in v.items():
                if k == "$ref" and isinstance(child, str) and child.startswith("#/") and child not in keep:
                    keep.add(child)
                    node = doc
                    for part in child[2:].split("/"):
                        node = node.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(node, dict) else {}
                    stack.append(node)
                else:
                    stack.append(child)
        elif isinstance(v, list):
            stack.extend(v)
    for kind, entries in doc.get("components", {}).items():
        if isinstance(entries, dict):
            for n in [n for n in entries if f"#/components/{kind}/{n.replace('~', '~0').replace('/', '~1')}" not in keep]:
                del entries[n]
    return doc


def triage(gen, doc, name):
    """Progenitor on each operation alone (with the components it reaches), each in its own process
    with a time and memory limit: the operations it cannot generate, with the reason."""
    import resource
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))
    failing = {}
    one_path = os.path.join(WORK, f"{name}.one.json")
    for p, m, op in operations(doc):
        one = dict(doc)
        item = {m: op}
        if "parameters" in doc["paths"][p]:
            item["parameters"] = doc["paths"][p]["parameters"]
        one["paths"] = {p: item}
        one["components"] = json.loads(json.dumps(doc.get("components", {})))
        json.dump(prune(one), open(one_path, "w"))
        try:
            r = subprocess.run([gen, "progenitor", one_path, os.devnull], capture_output=True, text=True,
                               timeout=30, preexec_fn=limit)
            if r.returncode != 0:
                failing[op.get("operationId", f"{m} {p}")] = (r.stderr.strip().splitlines() or ["failed"])[-1][:200]
        except subprocess.TimeoutExpired:
            failing[op.get("operationId", f"{m} {p}")] = "timed out"
    return failing


def measure_generation(gen, name, spec, overlay, reps):
    result = {"name": name}
    ours = []
    for _ in range(reps):
        cmd = [gen, "ours", spec, os.path.join(WORK, f"{name}.ours.rs")] + (["--overlay", overlay] if overlay else [])
        out, secs, mb = timed(cmd)
        ours.append((json.loads(out), secs, mb))
    result["ours"] = {"time": stats([s for _, s, _ in ours]), "peak_mb": stats([m for _, _, m in ours]), **ours[0][0]}
    prog_spec, edits, kept = edit_for_progenitor(gen, spec, name)
    result["edits"] = edits
    prog = []
    try:
        for _ in range(reps):
            out, secs, mb = timed([gen, "progenitor", prog_spec, os.path.join(WORK, f"{name}.progenitor.rs")])
            prog.append((json.loads(out), secs, mb))
        result["progenitor"] = {"time": stats([s for _, s, _ in prog]), "peak_mb": stats([m for _, _, m in prog]), **prog[0][0]}
        # Ours on the same (edited) operations, for lines per operation.
        out, _, _ = timed([gen, "ours", prog_spec, os.path.join(WORK, f"{name}.ours-same.rs")])
        result["ours_same"] = json.loads(out)
    except RuntimeError as e:
        result["progenitor"] = {"error": str(e)}
    return result


def measure_builds(name, spec):
    """`cargo build` of the library generated from `spec` after touching it (ours)."""
    target = os.path.join(WORK, f"build-{name}")
    env = dict(os.environ, CARGO_TARGET_DIR=target, CLOUDFLARE_MTLS_SPEC=os.path.abspath(spec),
               CLOUDFLARE_MTLS_OVERLAY=os.path.join(WORK, "empty-overlay.toml"))
    cmd = ["cargo", "build", "--locked", "--quiet", "--lib", "-p", "cloudflare-mtls"]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    os.utime(spec)
    _, secs, mb = timed(cmd, env=env)
    return {"seconds": secs, "peak_mb": mb}


def fmt_stats(s, unit, digits=3):
    return f"{s['median']:.{digits}f} {unit} (min {s['min']:.{digits}f}, max {s['max']:.{digits}f}, n={s['n']})"


def write_report(results, runtime, builds, quick):
    lines = ["# Benchmarks", "",
             "Written by `scripts/bench.py`" + (" in quick mode (few repetitions: not for comparison)" if quick else "") + f" on {datetime.date.today()}.",
             "", "## Machine and method", "",
             f"- {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
             f"{run(['rustc', '--version']).stdout.strip()}.",
             "- Generation: a fresh release process per run (`bench/src/gen.rs`) under `/usr/bin/time`: wall time (spec read → formatted source written) and peak RSS; medians with min/max.",
             "- Progenitor `=0.15.1` (crates.io) with `GenerationSettings::default()`, formatted with prettyplease; ours with the overlay for the vendored spec and none for Cloudflare's documents.",
             "- Where progenitor cannot take an input, the harness applies the smallest edit (listed per input) and both sides are also compared on those same operations.",
             "- Runtime: `bench/src/runtime.rs`, a generated call vs the same call written by hand with reqwest (same timeouts, headers, result type), sequential requests over one keep-alive connection to a local server; rounds interleaved.",
             "", "## Generation", "",
             "| input | generator | operations | time | peak memory | lines | bytes | lines/op |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in results:
        o = r["ours"]
        lines.append(f"| {r['name']} | ours | {o['operations']} | {fmt_stats(o['time'], 's')} | {o['peak_mb']['median']:.0f} MB | {o['lines']} | {o['bytes']} | {o['lines'] / max(o['operations'], 1):.1f} |")
        p = r["progenitor"]
        if "error" in p:
            lines.append(f"| {r['name']} | progenitor | - | failed: {p['error']} | | | | |")
        else:
            lines.append(f"| {r['name']} | progenitor (edited) | {p['operations']} | {fmt_stats(p['time'], 's')} | {p['peak_mb']['median']:.0f} MB | {p['lines']} | {p['bytes']} | {p['lines'] / max(p['operations'], 1):.1f} |")
            s = r["ours_same"]
            lines.append(f"| {r['name']} | ours, same operations | {s['operations']} | | | {s['lines']} | {s['bytes']} | {s['lines'] / max(s['operations'], 1):.1f} |")
    lines += ["", "Edits applied for progenitor:", ""]
    for r in results:
        lines.append(f"- {r['name']}: " + ("; ".join(r["edits"]) if r["edits"] else "none"))
    lines += ["", "### Ratios (same run)", ""]
    for r in results:
        p = r["progenitor"]
        if "error" in p:
            continue
        o, s = r["ours"], r["ours_same"]
        lines.append(f"- {r['name']}: generation {p['time']['median'] / o['time']['median']:.1f}× faster "
                     f"({o['operations']} operations vs {p['operations']}), peak memory {o['peak_mb']['median'] / p['peak_mb']['median']:.2f}× progenitor's, "
                     f"lines per operation on the same operations {(s['lines'] / s['operations']) / (p['lines'] / p['operations']):.2f}× progenitor's.")
    if builds:
        lines += ["", "## `cargo build` after touching the spec (ours)", "", "| input | wall time | peak memory (rustc) |", "| --- | --- | --- |"]
        for name, b in builds.items():
            lines.append(f"| {name} | {b['seconds']:.1f} s | {b['peak_mb']:.0f} MB |")
    if runtime:
        lines += ["", "## Runtime", "",
                  f"- Per request, generated call: {runtime['generated_us']:.1f} µs (rounds: {', '.join(f'{v:.1f}' for v in runtime['generated_us_all'])}).",
                  f"- Per request, by hand with reqwest: {runtime['hand_us']:.1f} µs (rounds: {', '.join(f'{v:.1f}' for v in runtime['hand_us_all'])}).",
                  f"- Overhead: {runtime['overhead_pct']:.1f} % ({runtime['requests_per_round']} requests × {runtime['rounds']} rounds).",
                  f"- Decode of a 1,000-certificate list ({runtime['list_bytes']} bytes): {runtime['decode_1000_ms']:.2f} ms median."]
    open(os.path.join(ROOT, "BENCHMARKS.md"), "w").write("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--builds", action="store_true")
    args = ap.parse_args()
    os.makedirs(WORK, exist_ok=True)
    open(os.path.join(WORK, "empty-overlay.toml"), "w").close()
    profile = "dev" if args.quick else "release"
    subprocess.run(["cargo", "build", "--locked", "--quiet", "--profile", profile, "--manifest-path",
                    os.path.join(ROOT, "bench", "Cargo.toml")], check=True)
    bindir = os.path.join(ROOT, "bench", "target", "debug" if args.quick else "release")
    gen = os.path.join(bindir, "gen")
    inputs = [("vendored", os.path.join(ROOT, "spec", "cloudflare-mtls.json"), os.path.join(ROOT, "spec", "overlay.toml")),
              ("mtls-slice", os.path.join(SHARED, "cloudflare-mtls-2024-08-06.json"), None)]
    if not args.quick:
        inputs.append(("full", os.path.join(SHARED, "cloudflare-openapi-2024-08-06.json"), None))
    for _, path, _ in inputs:
        if not os.path.exists(path):
            sys.exit(f"error: {path} is missing (the benchmarks read ../shared/specs)")
    reps = 2 if args.quick else 5
    results = []
    for name, path, overlay in inputs:
        print(f"--- generation: {name}", flush=True)
        results.append(measure_generation(gen, name, path, overlay, reps))
    builds = {}
    if args.builds:
        for name, path, _ in inputs[1:]:
            print(f"--- cargo build after touching the spec: {name}", flush=True)
            builds[name] = measure_builds(name, path)
    print("--- runtime", flush=True)
    rt_args = ["--requests", "200", "--rounds", "3"] if args.quick else ["--requests", "2000", "--rounds", "9"]
    runtime = json.loads(run([os.path.join(bindir, "runtime")] + rt_args).stdout)
    write_report(results, runtime, builds, args.quick)
    print(open(os.path.join(ROOT, "BENCHMARKS.md")).read())


if __name__ == "__main__":
    main()
