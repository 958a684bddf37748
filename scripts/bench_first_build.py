#!/usr/bin/env python3
"""A user's first `cargo build` of the library, before and after a change, against a hand-written
client on reqwest's default stack; in one run. Writes the "## First build" section of
BENCHMARKS.md.

    python3 scripts/bench_first_build.py [--before REV] [--reps N] [--jobs J] [--no-write] [--report-only]

Three crates, each built with `cargo build -p CRATE --locked -jJ --timings` (dev profile: a user's
first `cargo build`) from an empty CARGO_TARGET_DIR, N times (default 3), the order rotating from
one round to the next so that a change of machine load falls on all three alike:

- before: the library at REV (default 915b93e), exported with `git archive` into the work
  directory (git's state is not touched), with its own Cargo.lock;
- after: the library in this working tree, as it is;
- hand-written: a small client crate written by this script (typed calls, serde derives, the
  envelope, errors, a retry, paging) with the runtime dependencies of the working tree's
  Cargo.toml [dependencies], same versions and features, except reqwest, taken with its default
  features (reqwest's default rustls stack: aws-lc-rs) plus `json`; and no generator. It starts
  from this repository's Cargo.lock, so versions match.

`cargo fetch` runs first for each, so no download is timed. Per build: wall time, and CPU time
(user + system of cargo and everything it ran), which machine load moves less than wall time.
From the last build of each crate, the heaviest units of `--timings` (cargo-timing.html's
UNIT_DATA). Prints the section, and replaces (or inserts, before "## Revisions compared") the
"## First build" section of BENCHMARKS.md; the rest of the file is kept as it is. The raw figures,
every unit of every last build included, go to WORK/first-build.json (`--report-only` writes the
section again from them, without building).
"""
import argparse
import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
import tomllib

from bench_revisions import export_commit

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HEADING = "## First build"
BEFORE_DEFAULT = "915b93e"
HAND_NAME = "hand-written-client"


def run(cmd, cwd, env=None, quiet=True):
    p = subprocess.run(cmd, cwd=cwd, env=env, text=True, capture_output=quiet)
    if p.returncode != 0:
        tail = "\n".join((p.stderr or "").strip().splitlines()[-15:]) if quiet else ""
        raise SystemExit(f"failed ({p.returncode}): {' '.join(cmd)} in {cwd}\n{tail}")
    return p.stdout if quiet else ""


def export(rev, work):
    """The commit `rev` exported with `git archive` into WORK/src-<sha>; (sha, path)."""
    sha = run(["git", "rev-parse", "--verify", f"{rev}^{{commit}}"], ROOT).strip()
    path = os.path.join(work, f"src-{sha[:12]}")
    export_commit(sha, path)
    return sha, path


# The hand-written client: what a user would write on reqwest for a few of these operations.
HAND_LIB = r'''//! A hand-written client for three of Cloudflare's mTLS certificate operations.
use chrono::{DateTime, Utc};
use futures::stream::{self, Stream, StreamExt};
use reqwest::{header, Method, StatusCode};
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("HTTP: {0}")]
    Http(#[from] reqwest::Error),
    #[error("API error {status}: {errors:?}")]
    Api { status: StatusCode, errors: Vec<ApiMessage> },
    #[error("decode at {path}: {message}")]
    Decode { path: String, message: String },
}

#[derive(Debug, Clone, Deserialize)]
pub struct ApiMessage {
    pub code: i64,
    pub message: String,
}

#[derive(Debug, Deserialize)]
struct Envelope<T> {
    success: bool,
    #[serde(default)]
    errors: Vec<ApiMessage>,
    result: Option<T>,
    result_info: Option<ResultInfo>,
}

#[derive(Debug, Clone, Copy, Deserialize)]
pub struct ResultInfo {
    pub page: u64,
    pub per_page: u64,
    pub total_pages: Option<u64>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct MtlsCertificate {
    pub id: String,
    pub name: Option<String>,
    pub ca: bool,
    pub issuer: Option<String>,
    pub serial_number: Option<String>,
    pub signature: Option<String>,
    pub uploaded_on: Option<DateTime<Utc>>,
    pub expires_on: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MtlsCertificateCreate {
    pub ca: bool,
    pub certificates: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub private_key: Option<String>,
}

#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl Client {
    pub fn new(token: impl Into<String>) -> Result<Self, Error> {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(60))
            .build()?;
        Ok(Client { http, base: "https://api.cloudflare.com/client/v4".into(), token: token.into() })
    }

    async fn send<B: Serialize, T: DeserializeOwned>(
        &self, method: Method, path: &str, body: Option<&B>, page: Option<u64>,
    ) -> Result<(T, Option<ResultInfo>), Error> {
        let url = format!("{}{}", self.base, path);
        for attempt in 0..3u32 {
            let url = match page {
                Some(p) => format!("{url}?page={p}"),
                None => url.clone(),
            };
            let mut req = self.http.request(method.clone(), &url).bearer_auth(&self.token);
            if let Some(b) = body {
                req = req.json(b);
            }
            let resp = req.send().await?;
            let status = resp.status();
            if (status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()) && attempt < 2 {
                let wait = resp.headers().get(header::RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.parse::<u64>().ok())
                    .unwrap_or(1 << attempt);
                tracing::warn!(%status, wait, "retrying");
                tokio::time::sleep(Duration::from_secs(wait)).await;
                continue;
            }
            let bytes = resp.bytes().await?;
            let de = &mut serde_json::Deserializer::from_slice(&bytes);
            let env: Envelope<T> = serde_path_to_error::deserialize(de).map_err(|e| Error::Decode {
                path: e.path().to_string(),
                message: e.inner().to_string(),
            })?;
            return match (env.success, env.result) {
                (true, Some(r)) => Ok((r, env.result_info)),
                _ => Err(Error::Api { status, errors: env.errors }),
            };
        }
        unreachable!("the last attempt returns")
    }

    pub async fn get(&self, account_id: &str, id: &str) -> Result<MtlsCertificate, Error> {
        let path = format!("/accounts/{account_id}/mtls_certificates/{id}");
        Ok(self.send::<(), _>(Method::GET, &path, None, None).await?.0)
    }

    pub async fn create(&self, account_id: &str, body: &MtlsCertificateCreate) -> Result<MtlsCertificate, Error> {
        let path = format!("/accounts/{account_id}/mtls_certificates");
        Ok(self.send(Method::POST, &path, Some(body), None).await?.0)
    }

    pub async fn list(&self, account_id: &str, page: u64) -> Result<(Vec<MtlsCertificate>, Option<ResultInfo>), Error> {
        let path = format!("/accounts/{account_id}/mtls_certificates");
        self.send::<(), _>(Method::GET, &path, None, Some(page)).await
    }

    pub fn list_all<'a>(&'a self, account_id: &'a str) -> impl Stream<Item = Result<MtlsCertificate, Error>> + 'a {
        stream::unfold(Some(1u64), move |page| async move {
            let page = page?;
            match self.list(account_id, page).await {
                Ok((items, info)) => {
                    let more = info.and_then(|i| i.total_pages).is_some_and(|t| page < t);
                    let items = items.into_iter().map(Ok).collect::<Vec<_>>();
                    Some((stream::iter(items), more.then_some(page + 1)))
                }
                Err(e) => Some((stream::iter(vec![Err(e)]), None)),
            }
        })
        .flatten()
    }
}
'''


def hand_crate(work, manifest):
    """Writes the hand-written crate into WORK/hand: the working tree's runtime dependencies
    (optional ones left out), reqwest with its default features and `json`."""
    deps = tomllib.loads(open(manifest).read())["dependencies"]
    lines = []
    for name, spec in deps.items():
        if isinstance(spec, dict) and spec.get("optional"):
            continue
        if name == "reqwest":
            spec = {"version": spec["version"] if isinstance(spec, dict) else spec, "features": ["json"]}
        if isinstance(spec, str):
            lines.append(f'{name} = "{spec}"')
        else:
            parts = []
            for k, v in spec.items():
                parts.append(f"{k} = {json.dumps(v)}")
            lines.append(f"{name} = {{ {', '.join(parts)} }}")
    path = os.path.join(work, "hand")
    os.makedirs(os.path.join(path, "src"), exist_ok=True)
    cargo = "\n".join([
        "[package]", f'name = "{HAND_NAME}"', 'version = "0.0.0"', 'edition = "2021"', "publish = false", "",
        "[workspace]", "", "[dependencies]", *lines, ""])
    open(os.path.join(path, "Cargo.toml"), "w").write(cargo)
    open(os.path.join(path, "src", "lib.rs"), "w").write(HAND_LIB)
    # Same versions as ours: start from our lock (cargo drops what is unused, adds what is missing).
    shutil.copy(os.path.join(ROOT, "Cargo.lock"), os.path.join(path, "Cargo.lock"))
    return path, cargo


def unit_data(target_dir):
    """UNIT_DATA of the build's cargo-timing.html."""
    html = open(os.path.join(target_dir, "cargo-timings", "cargo-timing.html")).read()
    m = re.search(r"const UNIT_DATA = (\[.*?\]);\n", html, re.S)
    return json.loads(m.group(1)) if m else []


def heaviest(units, n=8):
    """The n heaviest (crate, kind) by seconds, a crate built twice (other features, or host and
    target) counted once with its builds added."""
    agg = {}
    for u in units:
        kind = u.get("target", "").strip()
        kind = {"build-script": "build script, compiled", "build-script (run)": "build script, run"}.get(kind, kind)
        label = u["name"] + (f" ({kind})" if kind else "")
        s, c = agg.get(label, (0.0, 0))
        agg[label] = (s + u["duration"], c + 1)
    return sorted(((l, s, c) for l, (s, c) in agg.items()), key=lambda x: -x[1])[:n]


def cpu_of_children():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def build(name, src, package, jobs, work, rep, env):
    target = os.path.join(work, f"target-{name}-{rep}")
    shutil.rmtree(target, ignore_errors=True)
    env = dict(env, CARGO_TARGET_DIR=target)
    load = os.getloadavg()[0]
    cpu0, t0 = cpu_of_children(), time.monotonic()
    run(["cargo", "build", "-p", package, "--locked", f"-j{jobs}", "--timings"], src, env)
    wall, cpu = time.monotonic() - t0, cpu_of_children() - cpu0
    units = unit_data(target)
    shutil.rmtree(target, ignore_errors=True)
    return {"wall": wall, "cpu": cpu, "load": load, "units": units}


def stats(xs):
    return statistics.median(xs), min(xs), max(xs)


def section(args, before_sha, results, order, loads, env_note, hand_cargo, date):
    med = {k: stats([r["wall"] for r in v]) for k, v in results.items()}
    cpu = {k: stats([r["cpu"] for r in v]) for k, v in results.items()}
    hand_wall, hand_cpu = med["hand-written"][0], cpu["hand-written"][0]
    desc = {
        "before": f"library at `{before_sha[:7]}`",
        "after": "library, this tree",
        "hand-written": "hand-written client (no generator; reqwest's default features)",
    }
    lines = [HEADING, "",
             f"Written by `scripts/bench_first_build.py --reps {args.reps}` on {date}: "
             f"`cargo build -p CRATE --locked -j{args.jobs} --timings` (dev profile, as a user's first `cargo build`) "
             f"from an empty target directory, each crate {args.reps} times, the order rotating each round "
             f"({'; '.join(', '.join(o) for o in order)}); `cargo fetch` before, so no download is timed.",
             "",
             f"- {env_note}; load average {loads[0][0]:.2f} / {loads[0][1]:.2f} / {loads[0][2]:.2f} (1/5/15 min) "
             f"when the run began, {loads[1][0]:.2f} / {loads[1][1]:.2f} / {loads[1][2]:.2f} when it ended. "
             "CPU time is user + system of cargo and everything it ran: machine load moves it less than wall time.",
             "- The hand-written crate (written by the script: three typed calls, a paged listing, serde derives, "
             "errors, a retry) has the library's runtime dependencies, same versions and features, except reqwest "
             "with its default features (rustls with aws-lc-rs, the platform verifier; `charset`, `http2`, "
             "`system-proxy`) plus `json`, and no generator:",
             "", "```toml", *[l for l in hand_cargo.split("[dependencies]\n", 1)[1].strip().splitlines()], "```", "",
             "| crate | wall time, median (min–max) | vs hand-written | CPU time, median (min–max) | vs hand-written |",
             "| --- | --- | --- | --- | --- |"]
    for k in ("before", "after", "hand-written"):
        w, c = med[k], cpu[k]
        lines.append(f"| {desc[k]} | {w[0]:.1f} s ({w[1]:.1f}–{w[2]:.1f}) | {w[0] / hand_wall:.2f}× "
                     f"| {c[0]:.1f} s ({c[1]:.1f}–{c[2]:.1f}) | {c[0] / hand_cpu:.2f}× |")
    lines += ["", f"- After vs before: wall time {med['after'][0] / med['before'][0]:.2f}×, "
              f"CPU time {cpu['after'][0] / cpu['before'][0]:.2f}×.", "",
              "Heaviest units of each crate's last build (seconds from `--timings`; a crate built twice, "
              "with other features or for the host, is one line with both added):", ""]
    for k in ("before", "after", "hand-written"):
        top = heaviest(results[k][-1]["units"])
        lines.append(f"- {desc[k]}: " + ", ".join(
            f"{l} {s:.1f}" + (f" (×{c})" if c > 1 else "") for l, s, c in top) + ".")
    lines += ["", "Crates compiled by one build and not the other (seconds of their units in that build):", ""]
    for a, b in (("before", "after"), ("after", "before"), ("after", "hand-written"), ("hand-written", "after")):
        only = only_in(results[a][-1]["units"], results[b][-1]["units"])
        total = sum(s for _, s in only)
        text = ", ".join(f"{c} {s:.1f}" for c, s in only) if only else "none"
        lines.append(f"- {a}, not {b} ({total:.1f} s): {text}.")
    return "\n".join(lines) + "\n"


def only_in(units, other):
    """Crates (name and version) of `units` absent from `other`, heaviest first, with the
    seconds of all their units."""
    theirs = {(u["name"], u["version"]) for u in other}
    agg = {}
    for u in units:
        key = (u["name"], u["version"])
        if key not in theirs:
            agg[key] = agg.get(key, 0.0) + u["duration"]
    named = {}
    for (n, v), sec in agg.items():
        label = n if sum(1 for m, _ in agg if m == n) == 1 and not any(m == n for m, _ in theirs) else f"{n} {v}"
        named[label] = sec
    return sorted(named.items(), key=lambda x: -x[1])


def write_section(text):
    path = os.path.join(ROOT, "BENCHMARKS.md")
    old = open(path).read() if os.path.exists(path) else "# Benchmarks\n"
    at = old.find("\n" + HEADING + "\n")
    if at >= 0:
        end = old.find("\n## ", at + 1)
        new = old[:at + 1] + text + (old[end:] if end >= 0 else "")
    else:
        rev = old.find("\n## Revisions compared")
        new = (old[:rev + 1] + text + old[rev:]) if rev >= 0 else old.rstrip("\n") + "\n\n" + text
    open(path, "w").write(new)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", default=BEFORE_DEFAULT, help="git revision of the 'before' library")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--work", default="/tmp/cloudflare-mtls-first-build", help="scratch directory")
    ap.add_argument("--no-write", action="store_true", help="print the section, leave BENCHMARKS.md")
    ap.add_argument("--report-only", action="store_true",
                    help="no build: the section again from the last run's WORK/first-build.json")
    args = ap.parse_args()
    if args.report_only:
        saved = json.load(open(os.path.join(args.work, "first-build.json")))
        args.reps, args.jobs = saved["reps"], saved["jobs"]
        results = saved["results"]
        text = section(args, saved["before"], results, saved["order"], saved["loads"], saved["env_note"],
                       saved["hand_cargo"], saved["date"])
        print(text)
        if not args.no_write:
            write_section(text)
            print("(written to BENCHMARKS.md)")
        return

    os.makedirs(args.work, exist_ok=True)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("CARGO_BUILD_", "CARGO_TARGET_", "CARGO_PROFILE_", "CARGO_INCREMENTAL"))
           and k not in ("RUSTFLAGS", "CARGO_ENCODED_RUSTFLAGS", "RUSTC_WRAPPER")}
    env["CARGO_TERM_COLOR"] = "never"
    before_sha, before_src = export(args.before, args.work)
    hand_src, hand_cargo = hand_crate(args.work, os.path.join(ROOT, "Cargo.toml"))
    crates = {
        "before": (before_src, "cloudflare-mtls"),
        "after": (ROOT, "cloudflare-mtls"),
        "hand-written": (hand_src, HAND_NAME),
    }
    # Downloads first, never timed. The hand-written crate's lock is settled here (our lock,
    # trimmed and completed), then used --locked like the others.
    for name, (src, _) in crates.items():
        print(f"--- cargo fetch: {name}", flush=True)
        run(["cargo", "fetch"] + ([] if name == "hand-written" else ["--locked"]), src, env)

    rustc = run(["rustc", "--version"], ROOT).strip()
    env_note = (f"{platform.machine()}, {os.cpu_count()} cores, Linux {platform.release()}; {rustc}")
    loads = [os.getloadavg()]
    names = list(crates)
    results = {n: [] for n in names}
    order = []
    for rep in range(args.reps):
        this = names[rep % len(names):] + names[:rep % len(names)]
        order.append(this)
        for name in this:
            src, package = crates[name]
            print(f"--- round {rep + 1}/{args.reps}: {name} (load {os.getloadavg()[0]:.2f})", flush=True)
            r = build(name, src, package, args.jobs, args.work, rep, env)
            print(f"    wall {r['wall']:.1f} s, CPU {r['cpu']:.1f} s", flush=True)
            results[name].append(r)
    loads.append(os.getloadavg())

    raw = {n: [{k: v for k, v in r.items() if k != "units"} for r in rs] for n, rs in results.items()}
    for n, rs in results.items():
        raw[n][-1]["units"] = rs[-1]["units"]
    date = time.strftime("%Y-%m-%d")
    json.dump({"before": before_sha, "order": order, "loads": loads, "results": raw, "reps": args.reps,
               "jobs": args.jobs, "env_note": env_note, "hand_cargo": hand_cargo, "date": date},
              open(os.path.join(args.work, "first-build.json"), "w"), indent=1)
    text = section(args, before_sha, results, order, loads, env_note, hand_cargo, date)
    print("\n" + text)
    if not args.no_write:
        write_section(text)
        print("(written to BENCHMARKS.md)")


if __name__ == "__main__":
    sys.exit(main())
