#!/usr/bin/env python3
"""`cargo build` measurements on progenitor's side, for scripts/bench.py (stdlib only).

    python3 scripts/bench_builds.py     # both measurements for `full` and `mtls-slice`, as JSON

`progenitor_build(work_dir, prog_spec_path, name)`: the crate a progenitor user writes (progenitor's
documented build.rs, formatted with prettyplease, `include!`d by src/lib.rs) built after touching
its spec. Progenitor's output on a large spec may not compile as a whole, so a compile triage first
removes the operations whose generated code does not compile (`cargo check` errors mapped back to
operations), recorded in `<work_dir>/<name>.progenitor-uncompilable.txt`.

`build_dep_tree_clean(work_dir)`: a clean build of each side's build-dependency tree (ours:
cloudflare-mtls-codegen; progenitor 0.15.1 with what its build.rs uses), in the profile cargo gives
build dependencies by default.

Every crate made here lives under work_dir (target/ is gitignored), has its own `[workspace]` table
and a Cargo.lock resolved once from a committed lock, then builds with `--locked`.
"""
import bisect
import collections
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BENCH_LOCK = os.path.join(ROOT, "bench", "Cargo.lock")  # pins progenitor's tree (bench/Cargo.toml)
OURS_LOCK = os.path.join(ROOT, "Cargo.lock")  # pins our codegen's tree
MAX_ROUNDS = 6  # compile-triage rounds before giving up

# What progenitor-generated code needs (progenitor 0.15.1's README, plus the crates typify's types
# name: chrono, uuid, regress). reqwest: progenitor-client 0.15.1 requires json, query and stream;
# the TLS backend and HTTP/2 are those our crate uses.
PROGENITOR_DEPENDENCIES = """\
progenitor-client = "=0.15.1"
reqwest = { version = "0.13", default-features = false, features = ["rustls", "json", "http2", "query", "stream"] }
serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", default-features = false, features = ["serde"] }
uuid = { version = "1", features = ["serde"] }
regress = "0.12"
futures = "0.3"
bytes = "1"
"""

# What the build.rs below uses; progenitor without its default `macro` feature (the proc macro and
# progenitor-client are not needed to generate), as in bench/Cargo.toml.
PROGENITOR_BUILD_DEPENDENCIES = """\
progenitor = { version = "=0.15.1", default-features = false }
prettyplease = "0.2"
syn = "2"
serde_json = "1"
"""

# Progenitor's documented build.rs (README, "build.rs"), reading through a BufReader. `{guard}` is
# empty for the real crate; the dependency-tree crate sets it to return early, so its build script
# is compiled and linked like the real one but never generates.
PROGENITOR_BUILD_RS = """\
//! Written by scripts/bench_builds.py: progenitor 0.15.1's documented build.rs.
fn main() {{
{guard}    let src = {spec};
    println!("cargo:rerun-if-changed={{}}", src);
    let file = std::io::BufReader::new(std::fs::File::open(src).unwrap());
    let spec = serde_json::from_reader(file).unwrap();
    let mut generator = progenitor::Generator::default();
    let tokens = generator.generate_tokens(&spec).unwrap();
    let ast = syn::parse2(tokens).unwrap();
    let content = prettyplease::unparse(&ast);
    let mut out_file = std::path::Path::new(&std::env::var("OUT_DIR").unwrap()).to_path_buf();
    out_file.push("codegen.rs");
    std::fs::write(out_file, content).unwrap();
}}
"""

# Our side's build.rs (as /work/main/build.rs), for the dependency-tree crate: never run.
OURS_BUILD_RS = """\
//! Written by scripts/bench_builds.py: our build.rs, compiled and linked but never run.
fn main() {
    if std::env::var_os("BENCH_DEP_TREE_NEVER_SET").is_none() {
        return;
    }
    let g = cloudflare_mtls_codegen::build::Builder::new("spec.json")
        .overlay("overlay.toml")
        .generate()
        .expect("generates");
    g.write_to_out_dir("cloudflare_mtls.rs").expect("writes");
}
"""

NEVER_RUN_GUARD = '    if std::env::var_os("BENCH_DEP_TREE_NEVER_SET").is_none() {\n        return;\n    }\n'


# --- the two measurements -------------------------------------------------------------------------

def progenitor_build(work_dir, prog_spec_path, name):
    """`cargo build` after touching the spec of the crate a progenitor user writes, on the
    operations of `prog_spec_path` whose generated code compiles together.

    Returns {"seconds": wall s, "peak_mb": max RSS of a child (the crate's rustc or build script),
    "operations": operations that compile together, "removed": operations the triage removed}."""
    work_dir = os.path.abspath(work_dir)
    crate = os.path.join(work_dir, f"progenitor-crate-{_slug(name)}")
    spec = os.path.join(crate, "openapi.json")  # the triaged copy the crate generates from
    _write_crate(crate, f"progenitor-crate-{_slug(name)}", PROGENITOR_DEPENDENCIES, PROGENITOR_BUILD_DEPENDENCIES,
                 PROGENITOR_BUILD_RS.format(guard="", spec=json.dumps(spec)),
                 '//! Written by scripts/bench_builds.py.\ninclude!(concat!(env!("OUT_DIR"), "/codegen.rs"));\n',
                 BENCH_LOCK)
    env = _cargo_env(os.path.join(work_dir, "progenitor-target"))
    kept, removed = _triaged(crate, spec, env, prog_spec_path, os.path.join(work_dir, f"{name}.progenitor-uncompilable.txt"))
    _cargo(["build", "--locked", "--quiet"], crate, env)  # warm: dependencies and the crate itself
    os.utime(spec)
    seconds, peak_mb = _timed(["cargo", "build", "--locked", "--quiet"], crate, env)
    return {"seconds": seconds, "peak_mb": peak_mb, "operations": kept, "removed": removed}


def build_dep_tree_clean(work_dir):
    """Clean `cargo build` (dev profile: build dependencies at opt-level 0) of a crate whose only
    build dependency is each side's generator, build script included (compiled, never generating).

    Returns {"ours": {"seconds", "peak_mb"}, "progenitor": {"seconds", "peak_mb"}}."""
    work_dir = os.path.abspath(work_dir)
    codegen = json.dumps(os.path.join(ROOT, "codegen"))
    sides = {
        "ours": (f"cloudflare-mtls-codegen = {{ path = {codegen} }}\n", OURS_BUILD_RS, OURS_LOCK),
        "progenitor": (PROGENITOR_BUILD_DEPENDENCIES,
                       PROGENITOR_BUILD_RS.format(guard=NEVER_RUN_GUARD, spec='"openapi.json"'), BENCH_LOCK),
    }
    results = {}
    for side, (build_deps, build_rs, seed_lock) in sides.items():
        crate = os.path.join(work_dir, f"dep-tree-{side}")
        _write_crate(crate, f"dep-tree-{side}", "", build_deps, build_rs, "//! Written by scripts/bench_builds.py.\n",
                     seed_lock)
        target = os.path.join(work_dir, f"dep-tree-{side}-target")
        shutil.rmtree(target, ignore_errors=True)  # clean: nothing compiled before
        seconds, peak_mb = _timed(["cargo", "build", "--locked", "--quiet"], crate, _cargo_env(target))
        results[side] = {"seconds": seconds, "peak_mb": peak_mb}
    return results


# --- throwaway crates -----------------------------------------------------------------------------

def _slug(name):
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _write_crate(crate, package, dependencies, build_dependencies, build_rs, lib_rs, seed_lock):
    """Writes a crate outside our workspace (files rewritten only when their bytes change, so cargo
    keeps its cache) and makes sure it has a Cargo.lock for `--locked`."""
    manifest = (f'# Written by scripts/bench_builds.py.\n[package]\nname = "{package}"\nversion = "0.0.0"\n'
                f'edition = "2021"\npublish = false\n\n[workspace]\n\n'
                f"[dependencies]\n{dependencies}\n[build-dependencies]\n{build_dependencies}")
    manifest_changed = _write_if_changed(os.path.join(crate, "Cargo.toml"), manifest)
    _write_if_changed(os.path.join(crate, "build.rs"), build_rs)
    _write_if_changed(os.path.join(crate, "src", "lib.rs"), lib_rs)
    lock = os.path.join(crate, "Cargo.lock")
    if manifest_changed or not os.path.exists(lock):
        _resolve_lock(crate, seed_lock)


def _resolve_lock(crate, seed_lock):
    """Resolves Cargo.lock starting from `seed_lock`: cargo keeps the versions it pins and adds
    only what it lacks (network to crates.io), and downloads everything."""
    if not os.path.exists(seed_lock):
        raise RuntimeError(f"{seed_lock} is missing: it seeds the lock of {crate}")
    shutil.copyfile(seed_lock, os.path.join(crate, "Cargo.lock"))
    _cargo(["fetch"], crate, _cargo_env(None))


def _write_if_changed(path, text):
    """Writes text to path unless it already holds it; returns whether it wrote."""
    try:
        with open(path) as f:
            if f.read() == text:
                return False
    except FileNotFoundError:
        pass
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return True


def _cargo_env(target_dir):
    env = dict(os.environ)
    env.pop("CARGO_TARGET_DIR", None)
    if target_dir:
        env["CARGO_TARGET_DIR"] = target_dir
    return env


def _cargo(args, crate, env):
    """Runs cargo in `crate`; returns its stdout; raises with the end of stderr on failure."""
    p = subprocess.run(["cargo"] + args, cwd=crate, env=env, text=True, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"`cargo {' '.join(args)}` failed in {crate}:\n{_tail(p.stderr)}")
    return p.stdout


def _timed(cmd, cwd, env):
    """Runs cmd under /usr/bin/time: (wall seconds, peak MB of the largest process)."""
    p = subprocess.run(["/usr/bin/time", "-f", "%e %M"] + cmd, cwd=cwd, env=env, text=True, capture_output=True)
    if p.returncode != 0:
        raise RuntimeError(f"`{' '.join(cmd)}` failed in {cwd}:\n{_tail(p.stderr)}")
    seconds, kb = p.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kb) / 1024


def _tail(text, lines=30):
    return "\n".join(text.strip().splitlines()[-lines:])


# --- compile triage -------------------------------------------------------------------------------

def _triaged(crate, spec, env, prog_spec_path, report_path):
    """Writes to `spec` the operations of `prog_spec_path` that compile together; returns
    (kept, removed). Reuses the previous triage when neither `prog_spec_path` nor the crate's
    manifest, lock and build.rs have changed."""
    with open(prog_spec_path, "rb") as f:
        source = f.read()
    digest = hashlib.sha256(source)
    for name in ("Cargo.toml", "Cargo.lock", "build.rs"):
        with open(os.path.join(crate, name), "rb") as f:
            digest.update(f.read())
    digest = digest.hexdigest()
    stamp_path = spec + ".triage.json"
    if os.path.exists(spec) and os.path.exists(stamp_path) and os.path.exists(report_path):
        with open(stamp_path) as f:
            stamp = json.load(f)
        if stamp["inputs_sha256"] == digest:
            return stamp["operations"], stamp["removed"]
    doc = json.loads(source)
    total = len(_bench().operations(doc))
    removed, rounds = _remove_uncompilable(crate, spec, env, doc)
    kept = total - len(removed)
    _write_report(report_path, prog_spec_path, total, kept, removed, rounds)
    _write_if_changed(stamp_path, json.dumps({"inputs_sha256": digest, "operations": kept, "removed": len(removed)}))
    return kept, len(removed)


def _remove_uncompilable(crate, spec, env, doc):
    """Rounds of `cargo check`: removes from `doc` the operations the errors point to (and the
    components only they reached) until it compiles. Returns ({operationId: (round, "METHOD path",
    reason)}, rounds of `cargo check` including the last, which compiled)."""
    bench = _bench()
    removed = {}
    for round_no in range(1, MAX_ROUNDS + 1):
        _write_if_changed(spec, json.dumps(doc))
        errors = _check_errors(crate, env)
        if not errors:
            return removed, round_no
        culprits, unmapped = _culprits(errors, doc)
        if not culprits:
            raise RuntimeError(f"{crate}: round {round_no} of the compile triage found {len(errors)} errors but none "
                               f"maps to an operation; first ones:\n" + "\n".join(unmapped[:10]))
        print(f"    compile triage, round {round_no}: {len(errors)} errors, removing {len(culprits)} operations",
              file=sys.stderr, flush=True)
        for key, reason in culprits.items():
            op = _remove_operation(doc, key)
            removed[op.get("operationId", f"{key[0].upper()} {key[1]}")] = (round_no, f"{key[0].upper()} {key[1]}", reason)
        bench.prune(doc)
    raise RuntimeError(f"{crate}: progenitor's output still does not compile after {MAX_ROUNDS} rounds of triage")


def _check_errors(crate, env):
    """`cargo check` of the crate: its compiler errors (rustc JSON diagnostics), or [] if it compiles."""
    p = subprocess.run(["cargo", "check", "--locked", "--message-format=json"], cwd=crate, env=env,
                       text=True, capture_output=True)
    manifest = os.path.realpath(os.path.join(crate, "Cargo.toml"))
    errors = []
    for line in p.stdout.splitlines():
        if not line.startswith("{"):
            continue
        msg = json.loads(line)
        if (msg.get("reason") == "compiler-message" and os.path.realpath(msg.get("manifest_path", "")) == manifest
                and msg["message"]["level"] == "error" and not msg["message"]["message"].startswith("aborting due to")):
            errors.append(msg["message"])
    if p.returncode != 0 and not errors:
        raise RuntimeError(f"`cargo check` failed in {crate} without a compiler error (build script?):\n{_tail(p.stderr)}")
    if p.returncode == 0 and errors:
        raise RuntimeError(f"`cargo check` succeeded in {crate} but reported errors: {errors[0]['message']}")
    return errors


def _culprits(errors, doc):
    """Maps compiler errors to operations: ({(method, path): reason}, [unmapped error texts]).
    A type name typify gave to two schemas is resolved through the spec (`_Duplicates`); the other
    errors on that type's items (its conflicting impls) follow from it and are left to next round."""
    duplicates = _Duplicates(doc)
    split = {}  # duplicated type name -> (operations reaching the schemas not kept, why)
    for error in errors:
        name = _duplicate_name(error)
        if name and name not in split and duplicates.losers(name):
            split[name] = duplicates.losers(name)
    indexes, culprits, unmapped = {}, {}, []
    for error in errors:
        reason = (error["code"]["code"] + " " if error.get("code") else "") + error["message"]
        name = _duplicate_name(error)
        if name in split:
            hits, why = split[name]
            reason += f" ({why})"
        else:
            located = [(_index(indexes, f), line) for f, line in _error_locations(error)]
            if any(index.owners_at(line) & split.keys() for index, line in located):
                continue  # on an item of a duplicated type: goes with the duplicate
            hits = set().union(*(index.operations_at(line) for index, line in located))
        if not hits:
            unmapped.append(reason + "".join(f" [{f}:{l}]" for f, l in _error_locations(error)))
        for key in hits:
            culprits.setdefault(key, reason)
    stray = set(culprits) - {(m, p) for p, m, _ in _bench().operations(doc)}
    if stray:
        raise RuntimeError(f"errors map to operations the spec does not have: {sorted(stray)[:5]}")
    return culprits, unmapped


def _index(indexes, path):
    """The GeneratedIndex of `path`, built once per round."""
    if path not in indexes:
        indexes[path] = GeneratedIndex(path)
    return indexes[path]


def _duplicate_name(error):
    """The item name of an E0428 error ("the name `X` is defined multiple times"), else None."""
    m = re.fullmatch(r"the name `(\w+)` is defined multiple times", error["message"])
    return m.group(1) if m else None


class _Duplicates:
    """E0428 on a type: typify gave two component schemas one name (`rulesets_Messages` and
    `rulesets_messages` are both `RulesetsMessages`). The finest fix that edits no name keeps the
    schema most operations reach and removes the operations that reach the others."""

    def __init__(self, doc):
        self.doc, self.reached, self.cache = doc, None, {}

    def losers(self, type_name):
        """(operations to remove, why) for a type named after several schemas, else None (also
        when no operation reaches the schemas not kept)."""
        if type_name not in self.cache:
            schemas = sorted(n for n in self.doc.get("components", {}).get("schemas", {})
                             if _compact(n) == _compact(type_name))
            self.cache[type_name] = self._split(schemas) if len(schemas) >= 2 else None
        return self.cache[type_name]

    def _split(self, schemas):
        if self.reached is None:  # each operation's transitive `$ref`s, computed once a round
            bench = _bench()
            self.reached = {(m, p): bench.refs_reached(self.doc, [op, self.doc["paths"][p].get("parameters", [])])
                            for p, m, op in bench.operations(self.doc)}
        users = {n: {key for key, refs in self.reached.items() if _schema_ref(n) in refs} for n in schemas}
        keep = max(schemas, key=lambda n: len(users[n]))
        losers = set().union(*(users[n] for n in schemas if n != keep))
        if not losers:
            return None
        others = ", ".join(f"`{n}`" for n in schemas if n != keep)
        return losers, f"schemas `{keep}` and {others} have one type name: kept `{keep}`, reached by {len(users[keep])} operations"


def _compact(name):
    return re.sub(r"[^a-z0-9]", "", name.lower())


def _schema_ref(name):
    return "#/components/schemas/" + name.replace("~", "~0").replace("/", "~1")


def _error_locations(error):
    """(file, line) in progenitor's generated file for an error: its primary spans, following macro
    expansions (a derive's error points into its expansion) back to the generated file."""
    locations = []
    for span in error["spans"]:
        if not span["is_primary"]:
            continue
        while span is not None:
            if span["file_name"].endswith("/codegen.rs") and os.path.isabs(span["file_name"]):
                locations.append((span["file_name"], span["line_start"]))
                break
            span = (span.get("expansion") or {}).get("span")
    return locations


def _remove_operation(doc, key):
    method, path = key
    item = doc["paths"][path]
    op = item.pop(method)
    if not any(m in item for m in ("get", "put", "post", "delete", "patch", "head", "options", "trace")):
        del doc["paths"][path]
    return op


def _write_report(path, prog_spec_path, total, kept, removed, rounds):
    """The triage's record: how many operations compile together and why each other one was removed."""
    def shape(reason):  # a reason without its names and details, to count the kinds of error
        return re.sub(r" \(.*\)$", "", re.sub(r"`[^`]*`", "`_`", reason))
    kinds = collections.Counter(shape(r) for _, _, r in removed.values())
    lines = [f"# progenitor 0.15.1's output for {os.path.relpath(prog_spec_path, ROOT)}: {kept} of {total} operations "
             f"compile together; {len(removed)} removed over {rounds} round(s) of `cargo check` (the last one "
             "compiled), each removing the operations its errors point to (directly, or through a type they use) and the components only they reached.",
             "# Kinds of error (count of operations removed for it):"]
    lines += [f"#   {n}\t{k}" for k, n in kinds.most_common()]
    lines += ["# operationId\tmethod path\tround\tfirst error"]
    lines += [f"{op}\t{where}\t{r}\t{reason}" for op, (r, where, reason) in sorted(removed.items())]
    with open(path, "w") as f:
        f.write("\n".join(lines) + "\n")


def _bench():
    """scripts/bench.py as a module (imported lazily: bench.py imports this file)."""
    scripts = os.path.dirname(os.path.abspath(__file__))
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    import bench
    return bench


# --- mapping lines of progenitor's output to operations -------------------------------------------

# Rust tokens, enough to find items: comments and literals are skipped whole, so braces in them
# (paths like `/zones/{zone_id}` in docs and format strings) do not count.
_LEX = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*)
  | (?P<block>/\*)
  | (?P<raw>[bc]?r(?P<hashes>\#*)")
  | (?P<str>[bc]?")
  | (?P<char>b?'(?:\\(?:u\{[0-9a-fA-F]+\}|x[0-9a-fA-F]{2}|.)|[^\\'\n])')
  | (?P<lifetime>'\w+)
  | (?P<ident>(?:r\#)?[A-Za-z_]\w*)
  | (?P<num>\d\w*(?:\.\d\w*)?)
  | (?P<sep>::)
  | (?P<open>[(\[{])
  | (?P<close>[)\]}])
  | (?P<punct>.)
""", re.X | re.S)
_STR_END = re.compile(r'(?:[^"\\]|\\.)*"', re.S)
_BLOCK_MARK = re.compile(r"/\*|\*/")
_SENDS = re.compile(r"Sends a `([A-Z]+)` request to `([^`]+)`")
_TYPE_KEYWORDS = ("struct", "enum", "type", "union", "trait")
_ITEM_KEYWORDS = _TYPE_KEYWORDS + ("fn", "mod", "impl", "const", "static", "use", "macro_rules")
_ENDS_AT_SEMICOLON = ("const", "static", "type", "use")  # items whose `{` groups are inside an expression


def _lex(src):
    """Tokens of Rust source: (kind, text, offset), comments and whitespace dropped."""
    tokens, pos, n = [], 0, len(src)
    while pos < n:
        m = _LEX.match(src, pos)
        kind = m.lastgroup
        if kind == "block":
            depth, pos = 1, m.end()
            while depth:
                mark = _BLOCK_MARK.search(src, pos)
                if mark is None:
                    raise RuntimeError("unterminated block comment in generated code")
                depth += 1 if mark.group() == "/*" else -1
                pos = mark.end()
            continue
        if kind == "raw":
            end = src.find('"' + m.group("hashes"), m.end())
            if end < 0:
                raise RuntimeError("unterminated raw string in generated code")
            tokens.append(("lit", "", m.start()))
            pos = end + 1 + len(m.group("hashes"))
            continue
        if kind == "str":
            s = _STR_END.match(src, m.end())
            if s is None:
                raise RuntimeError("unterminated string in generated code")
            tokens.append(("lit", "", m.start()))
            pos = s.end()
            continue
        if kind not in ("ws", "comment"):
            tokens.append((kind, m.group() if kind != "char" else "", m.start()))
        pos = m.end()
    return tokens


def _matching(tokens):
    """For each opening bracket, the index of its closing one."""
    match, stack = {}, []
    for i, (kind, _, _) in enumerate(tokens):
        if kind == "open":
            stack.append(i)
        elif kind == "close":
            if not stack:
                raise RuntimeError("unbalanced brackets in generated code")
            match[stack.pop()] = i
    if stack:
        raise RuntimeError("unbalanced brackets in generated code")
    return match


Item = collections.namedtuple("Item", "first_line last_line container keyword names refs operation")


class GeneratedIndex:
    """Items of progenitor's formatted output (pub mod types { ... }, impl Client { pub async fn ... },
    ...) with their lines, so that an error's line names the operations it breaks: an operation's
    method directly, a type through the operations that reach it."""

    def __init__(self, path):
        self.path = path
        with open(path) as f:
            self.src = f.read()
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.src)]
        self.tokens = _lex(self.src)
        self.match = _matching(self.tokens)
        self.items = []
        self._items(0, len(self.tokens), (), 0)
        self.by_line = [None] * (len(self.line_starts) + 2)
        for item in sorted(self.items, key=lambda it: len(it.container)):  # innermost last, so it wins
            self.by_line[item.first_line:item.last_line + 1] = [item] * (item.last_line - item.first_line + 1)
        self._type_graph()

    def _line(self, offset):
        return bisect.bisect_right(self.line_starts, offset)  # 1-based

    def _items(self, i, end, container, start_offset):
        """Indexes the items in tokens[i:end], nested into the bodies of `mod` items and of top-level
        `impl` items (`impl Client`, whose methods are the operations)."""
        while i < end:
            header, body, j = [], None, i
            while j < end:
                kind, text, _ = self.tokens[j]
                if text == "#":  # an attribute: `#` [`!`] `[...]`
                    j += 1
                    if self.tokens[j][1] == "!":
                        j += 1
                    j = self.match[j] + 1
                    continue
                if kind == "open":
                    keyword = next((t for _, t, _ in header if t in _ITEM_KEYWORDS), None)
                    if text == "{" and keyword not in _ENDS_AT_SEMICOLON:
                        body = j
                        j = self.match[j] + 1
                        break
                    j = self.match[j] + 1
                    continue
                j += 1
                if text == ";":
                    break
                header.append((kind, text, j - 1))
            item = self._item(i, j, header, body, container, start_offset)
            self.items.append(item)
            if body is not None and (item.keyword == "mod" or item.keyword == "impl" and not container):
                self._items(body + 1, self.match[body], container + (item.names[0] if item.names else "",),
                            self.tokens[body][2] + 1)
            start_offset = self.tokens[j - 1][2] + 1
            i = j

    def _item(self, i, j, header, body, container, start_offset):
        texts = [t for _, t, _ in header]
        keyword = next((t for t in texts if t in _ITEM_KEYWORDS), None)
        names = []
        if keyword in ("mod", "fn") + _TYPE_KEYWORDS:
            names = [texts[texts.index(keyword) + 1]]
        elif keyword == "impl":  # the names in `impl<..> Trait<..> for Type<..>`, not after `::`
            names = [t for k, (kind, t, _) in enumerate(header)
                     if kind == "ident" and t not in ("impl", "for", "where") and (k == 0 or header[k - 1][1] != "::")]
        operation = None
        if keyword == "fn" and container == ("Client",):  # an operation's method: its types are `types::X`
            refs = self._refs(i, j, qualifiers=("types",))
            sends = _SENDS.search(self.src, start_offset, self.tokens[i][2] if i < len(self.tokens) else len(self.src))
            if sends:
                operation = (sends.group(1).lower(), sends.group(2))
        else:
            refs = self._refs(i, j, skip_level=body if keyword == "enum" else None)
        first = self._line(re.compile(r"\S").search(self.src, start_offset).start())  # its docs and attributes
        return Item(first, self._line(self.tokens[j - 1][2]), container, keyword, names, refs, operation)

    def _refs(self, i, j, skip_level=None, qualifiers=None):
        """Identifiers that may name a type of `mod types` in tokens[i:j]: bare or after `super::`,
        `self::` or `types::` (not a variant's `Self::A`, not `::std::..`); only after one of
        `qualifiers` if given; in an enum's body (`skip_level`, its `{`), not the variant names."""
        refs = set()
        skip_end = self.match[skip_level] if skip_level is not None else -1
        k = i
        while k < j:
            kind, text, _ = self.tokens[k]
            if skip_level is not None and skip_level < k < skip_end:
                if kind == "open":
                    refs |= self._refs(k, self.match[k] + 1, qualifiers=qualifiers)
                    k = self.match[k] + 1
                    continue
                k += 1  # a variant name, `,`, `=` or the attribute's `#`
                continue
            if kind == "ident" and k >= 1:
                after = self.tokens[k - 2][1] if k >= 2 and self.tokens[k - 1][1] == "::" else None
                if (after in qualifiers) if qualifiers else (after is None and self.tokens[k - 1][1] != "::"
                                                             or after in ("super", "self", "types", "crate")):
                    refs.add(text)
            k += 1
        return refs

    def _type_graph(self):
        """Which types each type uses, and which types each operation uses directly."""
        self.local_types = {n for it in self.items if it.container == ("types",) and it.keyword in _TYPE_KEYWORDS
                            for n in it.names}
        self.users = collections.defaultdict(set)  # type -> types using it
        for item in self.items:
            if item.container[:1] == ("types",):
                for owner in self._owners(item):
                    for used in item.refs & self.local_types - {owner}:
                        self.users[used].add(owner)
        self.operation_types = {it.operation: it.refs & self.local_types for it in self.items if it.operation}
        # An operation's inline schemas become types named after it (`waf_packages_update` ->
        # `WafPackagesUpdateResponse..`), compared without case and underscores.
        self.operation_prefixes = {it.names[0].replace("_", "").lower(): it.operation for it in self.items if it.operation}

    def _owners(self, item):
        """The types an item of `mod types` belongs to (the impl's trait argument and self type)."""
        owners = set(item.names) & self.local_types
        return owners or (item.refs & self.local_types)

    def _item_at(self, line):
        return self.by_line[line] if 0 <= line < len(self.by_line) else None

    def owners_at(self, line):
        """The types of `mod types` whose item includes `line` (empty if none)."""
        item = self._item_at(line)
        return self._owners(item) if item is not None and item.container[:1] == ("types",) else set()

    def operations_at(self, line):
        """The operations whose generated code includes `line`: its method, or a type they reach."""
        item = self._item_at(line)
        if item is not None and item.operation:
            return {item.operation}
        broken, stack = set(), list(self.owners_at(line))
        while stack:  # every type that reaches a broken one is broken too
            t = stack.pop()
            if t not in broken:
                broken.add(t)
                stack.extend(self.users[t])
        reaching = {op for op, used in self.operation_types.items() if used & broken}
        return reaching or self._named_after(broken)

    def _named_after(self, types):
        """For types no operation reaches (typify's leftovers of an operation's inline schema): the
        operation each is named after, the longest matching prefix."""
        found = set()
        for t in types:
            key = t.lower()
            prefixes = [p for p in self.operation_prefixes if key.startswith(p)]
            if prefixes:
                found.add(self.operation_prefixes[max(prefixes, key=len)])
        return found


# --- run alone ------------------------------------------------------------------------------------

def main():
    work = os.path.join(ROOT, "target", "bench")
    inputs = [(name, os.path.join(work, f"{name}.progenitor.json")) for name in ("mtls-slice", "full")]
    for _, path in inputs:
        if not os.path.exists(path):
            sys.exit(f"error: {path} is missing: run `python3 scripts/bench.py` first (it writes the edited specs)")
    results = {"dep_tree_clean": build_dep_tree_clean(work)}
    for name, path in inputs:
        print(f"--- progenitor: cargo build after touching the spec: {name}", file=sys.stderr, flush=True)
        results[name] = progenitor_build(work, path, name)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
