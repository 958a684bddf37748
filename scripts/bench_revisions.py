#!/usr/bin/env python3
"""Generation time and peak memory of the generator at two git revisions, side by side.

    python3 scripts/bench_revisions.py OLD_REV NEW_REV [--reps N] [--spec FILE ...] [--profile release|dev ...]

For example `HEAD~1 HEAD`, or `HEAD WORKTREE` to measure uncommitted changes (`WORKTREE` is the
working tree of this repository as it is, used in place). A git revision is exported with
`git archive` into target/bench-revs/<short-sha> (reused if present; git's state is not touched).
Each revision's `bench` harness binary `gen` is built per profile with one shared
CARGO_TARGET_DIR (target/bench-revs/target-<profile>), so progenitor and the other dependencies
compile once, and copied to target/bench-revs/gen-<rev>-<profile>.

For each spec (default: Cloudflare's three full documents in ../shared/specs, no overlay) and
profile (default: release and dev), `gen ours SPEC OUT` runs N times per revision (default 5),
alternating old and new, each a fresh process under /usr/bin/time (wall time, peak RSS). Prints a
Markdown table: median time (min–max), ratio of the medians new/old, median peak RSS, and whether
the two revisions wrote byte-identical output (first run of each; a difference is reported, not
an error).
"""
import argparse
import filecmp
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WORK = os.path.join(ROOT, "target", "bench-revs")
SPECS = [os.path.join(ROOT, "..", "shared", "specs", f"cloudflare-openapi-{d}.json")
         for d in ("2023-01-31", "2023-11-30", "2024-08-06")]


def timed(cmd):
    """Runs cmd under /usr/bin/time; returns (stdout, seconds, peak MB). Same as scripts/bench.py."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, text=True, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(p.stderr.strip().splitlines()[-2:] if p.stderr else p.returncode)
    secs, kb = p.stderr.strip().splitlines()[-1].split()
    return p.stdout, float(secs), int(kb) / 1024


def checkout(rev):
    """(label, source directory) of a revision: the working tree itself for WORKTREE, otherwise
    the commit exported with `git archive` (extracted beside, then renamed: never half there)."""
    if rev == "WORKTREE":
        return "worktree", ROOT
    sha = subprocess.run(["git", "-C", ROOT, "rev-parse", "--verify", f"{rev}^{{commit}}"],
                         check=True, text=True, capture_output=True).stdout.strip()
    label = sha[:12]
    path = os.path.join(WORK, label)
    export_commit(sha, path)
    return label, path


def export_commit(sha, path):
    """Commit `sha` exported with `git archive` into `path`, unless already there (extracted
    beside, then renamed: never half there). Also used by bench_first_build.py."""
    if os.path.isdir(path):
        return
    tmp = path + ".partial"
    shutil.rmtree(tmp, ignore_errors=True)
    os.makedirs(tmp)
    archive = subprocess.Popen(["git", "-C", ROOT, "archive", "--format=tar", sha], stdout=subprocess.PIPE)
    subprocess.run(["tar", "-x", "-C", tmp], stdin=archive.stdout, check=True)
    if archive.wait() != 0:
        sys.exit(f"error: git archive {sha} failed")
    os.rename(tmp, path)


def build(label, src, profile):
    """Builds `gen` of src/bench in profile; returns the path of a copy that later builds keep."""
    target = os.path.join(WORK, f"target-{profile}")
    cmd = ["cargo", "build", "--locked", "--quiet", "--manifest-path", os.path.join(src, "bench", "Cargo.toml"),
           "--bin", "gen"] + (["--release"] if profile == "release" else [])
    print(f"--- building gen ({profile}) of {label}", file=sys.stderr, flush=True)
    subprocess.run(cmd, check=True, env=dict(os.environ, CARGO_TARGET_DIR=target))
    copy = os.path.join(WORK, f"gen-{label}-{profile}")
    shutil.copy2(os.path.join(target, "release" if profile == "release" else "debug", "gen"), copy)
    return copy


def same(a, b):
    if filecmp.cmp(a, b, shallow=False):
        return "identical"
    return f"DIFFERENT ({os.path.getsize(a)} vs {os.path.getsize(b)} bytes)"


def measure(gens, spec, profile, reps):
    """Old and new alternately, reps times each: per side the list of (seconds, MB), and whether
    the first outputs of the two sides are the same bytes."""
    name = os.path.basename(spec).removesuffix(".json")
    results = {"old": [], "new": []}
    firsts = {}
    for i in range(reps):
        for side in ("old", "new"):
            out = os.path.join(WORK, "out", f"{name}.{profile}.{side}{'' if i == 0 else '.later'}.rs")
            _, secs, mb = timed([gens[side], "ours", spec, out])
            results[side].append((secs, mb))
            if i == 0:
                firsts[side] = out
            elif not filecmp.cmp(out, firsts[side], shallow=False):
                print(f"warning: {side} wrote different output on run {i + 1} of {name} ({profile})", file=sys.stderr)
    return name, results, same(firsts["old"], firsts["new"])


def cell(runs):
    t = [s for s, _ in runs]
    return f"{statistics.median(t):.2f} s ({min(t):.2f}–{max(t):.2f})"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("old")
    ap.add_argument("new", help="a git revision, or WORKTREE for the working tree as it is")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--spec", action="append", help="an OpenAPI document (repeatable; default: the three full Cloudflare ones)")
    ap.add_argument("--profile", action="append", choices=["release", "dev"], help="repeatable; default: release and dev")
    args = ap.parse_args()
    specs = [os.path.abspath(s) for s in (args.spec or SPECS)]
    profiles = args.profile or ["release", "dev"]
    for s in specs:
        if not os.path.isfile(s):
            sys.exit(f"error: {s} is missing")
    started = time.monotonic()
    print("$ " + shlex.join(["python3"] + sys.argv))
    print(f"load average at start: {open('/proc/loadavg').read().strip()}")
    os.makedirs(os.path.join(WORK, "out"), exist_ok=True)
    revs = {side: checkout(rev) for side, rev in (("old", args.old), ("new", args.new))}
    print(f"old: {args.old} = {revs['old'][0]}; new: {args.new} = {revs['new'][0]}; {args.reps} runs each, alternating", flush=True)
    built = {}  # (label, profile) -> binary, so a revision given twice is built once
    rows = []
    for profile in profiles:
        gens = {}
        for side, (label, src) in revs.items():
            if (label, profile) not in built:
                built[label, profile] = build(label, src, profile)
            gens[side] = built[label, profile]
        for spec in specs:
            print(f"--- {os.path.basename(spec)} ({profile})", file=sys.stderr, flush=True)
            name, r, identical = measure(gens, spec, profile, args.reps)
            ratio = statistics.median(s for s, _ in r["new"]) / statistics.median(s for s, _ in r["old"])
            peak = {side: statistics.median(m for _, m in r[side]) for side in r}
            rows.append(f"| {name} | {profile} | {cell(r['old'])} | {cell(r['new'])} | {ratio:.3f} "
                        f"| {peak['old']:.0f} | {peak['new']:.0f} | {identical} |")
    print()
    print("| spec | profile | old median time (min–max) | new median time (min–max) | ratio new/old "
          "| old peak MB | new peak MB | output identical |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    print(f"\nTotal: {time.monotonic() - started:.0f} s (builds included). Peak MB: median of the runs' max RSS.")


if __name__ == "__main__":
    main()
