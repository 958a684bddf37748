#!/usr/bin/env python3
"""Benchmarks, ours and progenitor 0.15 side by side, in one run; writes BENCHMARKS.md.

    python3 scripts/bench.py            # full: vendored spec, Cloudflare's mTLS slice and full API
    python3 scripts/bench.py --quick    # CI: small inputs, few repetitions (timings not asserted)
    python3 scripts/bench.py --builds   # also `cargo build` after touching the spec (slow: minutes)

Generation is timed from the outside: each run is a fresh process (`bench/target/*/gen`) under
/usr/bin/time, giving wall time and peak RSS, in two builds of the generators: release, and the
dev profile (opt-level 0), which is how cargo builds build scripts and their dependencies unless a
user overrides it, so it is what every user's clean build runs. Progenitor gets the smallest documented edit where it
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


def refs_reached(doc, node):
    """Every `#/...` reference reachable from node (through the components it references)."""
    seen, stack = set(), [node]
    while stack:
        v = stack.pop()
        if isinstance(v, dict):
            for k, child in v.items():
                if k == "$ref" and isinstance(child, str) and child.startswith("#/"):
                    if child not in seen:
                        seen.add(child)
                        target = doc
                        for part in child[2:].split("/"):
                            target = target.get(part.replace("~1", "/").replace("~0", "~"), {}) if isinstance(target, dict) else {}
                        stack.append(target)
                else:
                    stack.append(child)
        elif isinstance(v, list):
            stack.extend(v)
    return seen


def prune(doc):
    """Keeps only the components reachable by `$ref` from the paths."""
    keep = refs_reached(doc, doc["paths"])
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


def measure_generation(gen, name, spec, overlay, prog_spec, reps):
    """Both generators with the binaries of one profile: ours on the input and on progenitor's
    edited copy of it (lines per operation on the same operations), progenitor on its copy."""
    result = {"name": name}
    ours = []
    for _ in range(reps):
        cmd = [gen, "ours", spec, os.path.join(WORK, f"{name}.ours.rs")] + (["--overlay", overlay] if overlay else [])
        out, secs, mb = timed(cmd)
        ours.append((json.loads(out), secs, mb))
    result["ours"] = {"time": stats([s for _, s, _ in ours]), "peak_mb": stats([m for _, _, m in ours]), **ours[0][0]}
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


def measure_instructions(runtime, requests):
    """Instructions per request of each side under callgrind (machine load does not move them):
    the difference between `requests + 1` requests and 1 request, over `requests`."""
    if shutil.which("valgrind") is None:
        return None
    counts = {}
    for side in ("generated", "hand"):
        totals = []
        for n in (1, requests + 1):
            out = os.path.join(WORK, f"callgrind.{side}.{n}")
            p = subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", runtime,
                                "--only", side, "--requests", str(n)], text=True, capture_output=True)
            if p.returncode != 0:
                raise RuntimeError(f"callgrind {side}: {p.stderr.strip().splitlines()[-1:]}")
            totals.append(int(next(l for l in p.stderr.splitlines() if "Collected :" in l).split(":")[-1]))
        counts[side] = (totals[1] - totals[0]) / requests
    counts["overhead_pct"] = (counts["generated"] / counts["hand"] - 1) * 100
    counts["requests"] = requests
    return counts


def measure_builds(name, spec):
    """`cargo build` of the library generated from `spec` after touching it (ours). The spec is
    copied first: the copy is touched, never the document in ../shared."""
    target = os.path.join(WORK, f"build-{name}")
    copy = os.path.join(WORK, f"{name}.build.json")
    shutil.copyfile(spec, copy)
    env = dict(os.environ, CARGO_TARGET_DIR=target, CLOUDFLARE_MTLS_SPEC=copy,
               CLOUDFLARE_MTLS_OVERLAY=os.path.join(WORK, "empty-overlay.toml"))
    cmd = ["cargo", "build", "--locked", "--quiet", "--lib", "-p", "cloudflare-mtls"]
    subprocess.run(cmd, check=True, env=env, cwd=ROOT)
    os.utime(copy)
    _, secs, mb = timed(cmd, env=env)
    return {"seconds": secs, "peak_mb": mb}


def fmt_stats(s, unit, digits=3):
    return f"{s['median']:.{digits}f} {unit} (min {s['min']:.{digits}f}, max {s['max']:.{digits}f}, n={s['n']})"


def generation_rows(profile, r):
    o, p = r["ours"], r["progenitor"]
    rows = [f"| {r['name']} | {profile} | ours | {o['operations']} | {fmt_stats(o['time'], 's')} | {o['peak_mb']['median']:.0f} MB | {o['lines']} | {o['bytes']} | {o['lines'] / max(o['operations'], 1):.1f} |"]
    if "error" in p:
        rows.append(f"| {r['name']} | {profile} | progenitor | - | failed: {p['error']} | | | | |")
    else:
        s = r["ours_same"]
        rows.append(f"| {r['name']} | {profile} | progenitor (edited) | {p['operations']} | {fmt_stats(p['time'], 's')} | {p['peak_mb']['median']:.0f} MB | {p['lines']} | {p['bytes']} | {p['lines'] / max(p['operations'], 1):.1f} |")
        rows.append(f"| {r['name']} | {profile} | ours, same operations | {s['operations']} | | | {s['lines']} | {s['bytes']} | {s['lines'] / max(s['operations'], 1):.1f} |")
    return rows


def ratio_line(profile, r):
    o, p, s = r["ours"], r["progenitor"], r.get("ours_same")
    if "error" in p:
        return None
    return (f"- {r['name']}, {profile}: generation {p['time']['median'] / o['time']['median']:.1f}× faster "
            f"({o['operations']} operations vs {p['operations']}), peak memory {o['peak_mb']['median'] / p['peak_mb']['median']:.2f}× progenitor's, "
            f"lines per operation on the same operations {(s['lines'] / s['operations']) / (p['lines'] / p['operations']):.2f}× progenitor's.")


def quartiles(values):
    v = sorted(values)
    return v[len(v) // 4], v[(3 * len(v)) // 4]


def write_report(generation, edits, runtime, instructions, builds, quick, load):
    lines = ["# Benchmarks", "",
             "Written by `scripts/bench.py`" + (" in quick mode (few repetitions: not for comparison)" if quick else "") + f" on {datetime.date.today()}.",
             "", "## Machine and method", "",
             f"- {platform.machine()}, {os.cpu_count()} cores, {platform.system()} {platform.release()}; "
             f"{run(['rustc', '--version']).stdout.strip()}; load average {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (1/5/15 min) when the run began.",
             "- Generation: a fresh process per run (`bench/src/gen.rs`) under `/usr/bin/time`: wall time (spec read → formatted source written) and peak RSS; medians with min/max. "
             "Both generators built in " + " and ".join(f"`{p}`" for p in generation) + "; `dev` (opt-level 0) is the profile cargo builds build scripts and their dependencies with by default, so the one a user's clean build runs.",
             "- Ours uses as many threads as there are cores (items are formatted in parallel and joined in order; the bytes do not depend on it); progenitor is single-threaded.",
             "- Progenitor `=0.15.1` (crates.io) with `GenerationSettings::default()`, formatted with prettyplease; ours with the overlay for the vendored spec and none for Cloudflare's documents.",
             "- Where progenitor cannot take an input, the harness applies the smallest edit (listed per input) and both sides are also compared on those same operations.",
             "- Runtime: `bench/src/runtime.rs`, a generated call vs the same call written by hand with reqwest (same timeouts, headers, user agent and result type; the URL formatted from the ids on each call), "
             "sequential requests over one keep-alive connection to a local server on the same thread; short rounds in pairs, order alternating, overhead = median of the per-pair ratios. "
             "Instructions per request come from callgrind (`runtime --only generated|hand`), which machine load does not move.",
             "", "## Generation", "",
             "| input | profile | generator | operations | time | peak memory | lines | bytes | lines/op |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for profile, results in generation.items():
        for r in results:
            lines += generation_rows(profile, r)
    lines += ["", "Edits applied for progenitor:", ""]
    for name, e in edits.items():
        lines.append(f"- {name}: " + ("; ".join(e) if e else "none"))
    lines += ["", "### Ratios (same run)", ""]
    for profile, results in generation.items():
        lines += [l for l in (ratio_line(profile, r) for r in results) if l]
    if builds:
        lines += ["", "## `cargo build` after touching the spec (dev profile, incremental)", "",
                  "| input | generator | operations | wall time | peak memory (rustc) |", "| --- | --- | --- | --- | --- |"]
        for name, b in builds["ours"].items():
            lines.append(f"| {name} | ours | {b.get('operations', '')} | {b['seconds']:.1f} s | {b['peak_mb']:.0f} MB |")
            pb = builds.get("progenitor", {}).get(name)
            if pb:
                lines.append(f"| {name} | progenitor (edited; operations that compile together) | {pb['operations']} | {pb['seconds']:.1f} s | {pb['peak_mb']:.0f} MB |")
        lines.append("")
        for name, b in builds["ours"].items():
            pb = builds.get("progenitor", {}).get(name)
            if pb:
                lines.append(f"- {name}: ours {b['seconds'] / pb['seconds']:.2f}× progenitor's time, {b['peak_mb'] / pb['peak_mb']:.2f}× its peak memory.")
        dep = builds.get("dep_trees")
        if dep:
            lines += ["", "Clean build of the build-dependency tree (what a user compiles before the generator can run):", "",
                      "| generator | wall time | peak memory |", "| --- | --- | --- |"]
            for side in ("ours", "progenitor"):
                lines.append(f"| {side} | {dep[side]['seconds']:.1f} s | {dep[side]['peak_mb']:.0f} MB |")
    if runtime:
        q1, q3 = quartiles(runtime["overhead_pct_all"])
        lines += ["", "## Runtime", "",
                  f"- Per request, generated call: {runtime['generated_us']:.1f} µs median (rounds: min {min(runtime['generated_us_all']):.1f}, max {max(runtime['generated_us_all']):.1f}).",
                  f"- Per request, by hand with reqwest: {runtime['hand_us']:.1f} µs median (rounds: min {min(runtime['hand_us_all']):.1f}, max {max(runtime['hand_us_all']):.1f}).",
                  f"- Overhead: {runtime['overhead_pct']:.1f} % (median of {runtime['rounds']} paired rounds of {runtime['requests_per_round']} requests; quartiles {q1:.1f} % / {q3:.1f} %)."]
        if instructions:
            lines.append(f"- Instructions per request (callgrind, {instructions['requests']} requests, client and server together): generated {instructions['generated']:,.0f}, by hand {instructions['hand']:,.0f}: {instructions['overhead_pct']:+.1f} %.")
        lines.append(f"- Decode of a 1,000-certificate list ({runtime['list_bytes']} bytes): {runtime['decode_1000_ms']:.2f} ms median.")
    path = os.path.join(ROOT, "BENCHMARKS.md")
    # The first-build comparison (scripts/bench_first_build.py) and the comparisons of revisions
    # (scripts/bench_revisions.py, written by hand) are kept: everything from the first of them on.
    kept = ""
    if os.path.exists(path):
        old = open(path).read()
        found = [at for at in (old.find("\n" + h) for h in KEPT_HEADINGS) if at >= 0]
        if found:
            kept = old[min(found):]
    open(path, "w").write("\n".join(lines) + "\n" + kept)


REVISIONS_HEADING = "## Revisions compared"
KEPT_HEADINGS = ("## First build", REVISIONS_HEADING)


def build_bench(profile):
    subprocess.run(["cargo", "build", "--locked", "--quiet", "--profile", profile, "--manifest-path",
                    os.path.join(ROOT, "bench", "Cargo.toml")], check=True)
    return os.path.join(ROOT, "bench", "target", "debug" if profile == "dev" else profile)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--builds", action="store_true")
    args = ap.parse_args()
    load = os.getloadavg()
    os.makedirs(WORK, exist_ok=True)
    open(os.path.join(WORK, "empty-overlay.toml"), "w").close()
    profiles = ["dev"] if args.quick else ["release", "dev"]
    bindirs = {profile: build_bench(profile) for profile in profiles}
    inputs = [("vendored", os.path.join(ROOT, "spec", "cloudflare-mtls.json"), os.path.join(ROOT, "spec", "overlay.toml")),
              ("mtls-slice", os.path.join(SHARED, "cloudflare-mtls-2024-08-06.json"), None)]
    if not args.quick:
        inputs.append(("full", os.path.join(SHARED, "cloudflare-openapi-2024-08-06.json"), None))
    for _, path, _ in inputs:
        if not os.path.exists(path):
            sys.exit(f"error: {path} is missing (the benchmarks read ../shared/specs)")
    reps = 2 if args.quick else 5
    # Progenitor's edited copies, made once (with the first profile's binary).
    edited, edits = {}, {}
    for name, path, _ in inputs:
        print(f"--- progenitor's edit: {name}", flush=True)
        edited[name], edits[name], _ = edit_for_progenitor(os.path.join(bindirs[profiles[0]], "gen"), path, name)
    generation = {}
    for profile in profiles:
        gen = os.path.join(bindirs[profile], "gen")
        generation[profile] = []
        for name, path, overlay in inputs:
            print(f"--- generation ({profile}): {name}", flush=True)
            generation[profile].append(measure_generation(gen, name, path, overlay, edited[name], reps))
    builds = {}
    if args.builds:
        import bench_builds
        builds = {"ours": {}, "progenitor": {}}
        for name, path, _ in inputs[1:]:
            print(f"--- cargo build after touching the spec: {name}", flush=True)
            builds["ours"][name] = measure_builds(name, path)
            builds["ours"][name]["operations"] = next(
                r["ours"]["operations"] for r in generation[profiles[0]] if r["name"] == name)
            builds["progenitor"][name] = bench_builds.progenitor_build(WORK, edited[name], name)
        print("--- clean build of the build-dependency trees", flush=True)
        builds["dep_trees"] = bench_builds.build_dep_tree_clean(WORK)
    print("--- runtime", flush=True)
    runtime_bin = os.path.join(bindirs[profiles[0]], "runtime")
    rt_args = ["--requests", "100", "--rounds", "6"] if args.quick else ["--requests", "500", "--rounds", "40"]
    runtime = json.loads(run([runtime_bin] + rt_args).stdout)
    print("--- instructions per request (callgrind)", flush=True)
    instructions = measure_instructions(runtime_bin, 50 if args.quick else 200)
    write_report(generation, edits, runtime, instructions, builds, args.quick, load)
    print(open(os.path.join(ROOT, "BENCHMARKS.md")).read())


if __name__ == "__main__":
    main()
