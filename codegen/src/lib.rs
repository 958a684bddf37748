//! The build-time generator of `cloudflare-mtls`: an OpenAPI 3.0 document in, formatted Rust out.
//!
//! The pipeline has one module per stage, data flowing one way:
//!
//! ```text
//! load     parse; the one `$ref` reader; errors carry JSON pointers
//!   (patch)  upstream's defects corrected by an OpenAPI Overlay 1.0 document, when asked
//!   select   the overlay's `[selection]`: which operations are generated, what was left out
//!   check    the structure of what generation reads (warnings for harmless defects)
//!   -> resolve  every $ref followed, allOf flattened, anyOf/oneOf classified, each operation's
//!               parameters, body and response read: the resolved schema graph
//!   -> shape    Rust types and names (naming + overlay), envelopes, shared identical types,
//!               account/zone twins, the resource tree, send/receive direction
//!   -> ir       the named model: types, resources, operations
//!   -> emit     types, resources, docs -> prettyplease
//! ```
//!
//! `naming` (identifiers from API names) is used by `overlay`, `shape` and `emit`; `surface`
//! extracts the public API of a model for `api-diff`.
//!
//! [`generate`] is pure; [`build::Builder`] is what a build script uses (explicit inputs, file
//! I/O, cargo directives); [`surface`] is for `api-diff`. The stages are private: the public
//! surface is what `build.rs`, the examples and the benchmarks use.

pub mod build;
mod check;
mod emit;
mod error;
mod ir;
mod load;
mod naming;
mod overlay;
pub mod patch;
mod resolve;
mod select;
mod shape;
pub mod surface;

pub use error::Error;
pub use load::Spec;
pub use overlay::{Overlay, Selection, Spellings};
pub use patch::Patches;
pub use select::Plan;

/// What to generate with.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The naming overlay.
    pub overlay: Overlay,
    /// Make `allOf` members that disagree (string vs integer) an error instead of an untyped
    /// value. Off by default: real specs have such conflicts, and one bad schema should not stop
    /// a build; each degradation is listed in [`Output::degraded`] and documented on the item.
    pub strict: bool,
    /// Threads to format the output on; 0 (the default) means one per available core. The output
    /// is the same whatever the number.
    pub jobs: usize,
    /// Generate every operation of the document, whatever the overlay's `[selection]` says (the
    /// robustness check over Cloudflare's whole API). Off by default.
    pub all_operations: bool,
}

/// The generated code and a summary of what it holds.
#[derive(Debug, Clone)]
pub struct Output {
    /// The formatted Rust source, starting with an `// @generated` header.
    pub code: String,
    /// Number of generated methods (account/zone twins count once).
    pub methods: usize,
    /// Number of operations of the document that the methods cover.
    pub operations: usize,
    /// Number of generated types.
    pub types: usize,
    /// What was simplified, one line each: schemas degraded to `serde_json::Value`, path
    /// parameters with no text form taken as strings, path parameters missing from their
    /// template left out.
    pub degraded: Vec<String>,
    /// Harmless defects in what was generated from (a response without its `description`, an
    /// `example` of the wrong type, `type: String`), each located by its JSON pointer.
    pub warnings: Vec<Error>,
    /// What the selection did not find, and what it left out of the operations' families.
    pub plan: Plan,
}

/// The operations of `spec` that `settings` select (the overlay's `[selection]`, unless
/// [`Settings::all_operations`]), with the entries the document lacks and the operations of the
/// same families left out.
pub fn plan(spec: &Spec, settings: &Settings) -> Plan {
    match settings.all_operations {
        true => Plan::default(),
        false => select::plan(spec, settings.overlay.selection.as_ref()),
    }
}

/// The structural check of what `settings` generate from `spec` (the selected operations and
/// the components they reach): the harmless defects, each located by its pointer, or the first
/// defect that stops generation.
///
/// # Errors
///
/// A node generation reads that is not what OpenAPI 3.0 says, named by its JSON pointer.
pub fn check(spec: &Spec, settings: &Settings) -> Result<Vec<Error>, Error> {
    check::check(spec, plan(spec, settings).selected.as_ref())
}

/// The named model of the operations `plan` selects of `spec`: resolved, then shaped.
pub(crate) fn model(spec: &Spec, settings: &Settings, plan: &Plan) -> Result<ir::Model, Error> {
    let resolved = resolve::resolve(spec, plan.selected.as_ref(), settings.strict)?;
    shape::shape(spec, resolved, &settings.overlay)
}

/// Generates the client code for `spec`. Same input, same bytes.
pub fn generate(spec: &Spec, settings: &Settings) -> Result<Output, Error> {
    let jobs = match settings.jobs {
        0 => std::thread::available_parallelism().map_or(1, usize::from),
        n => n,
    };
    let plan = plan(spec, settings);
    let selected = plan.selected.as_ref();
    let build_model = || model(spec, settings, &plan);
    let (model, warnings) = if jobs > 1 {
        // The structural check only reads the document: it runs beside resolving and shaping.
        let (model, valid) = std::thread::scope(|scope| {
            let valid = scope.spawn(|| check::check(spec, selected));
            let model = build_model();
            let valid = valid
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            (model, valid)
        });
        // The structural check's errors first: they name the node the problem starts at.
        let warnings = valid?;
        (model?, warnings)
    } else {
        let warnings = check::check(spec, selected)?;
        (build_model()?, warnings)
    };
    let code = emit::emit(&model, jobs).map_err(|e| {
        Error::new(
            &spec.file,
            "",
            format!("internal error: emitted code does not parse: {e}"),
        )
    })?;
    let ops = model.operations();
    Ok(Output {
        code,
        methods: ops.len(),
        operations: ops.iter().map(|o| o.operation_ids.len().max(1)).sum(),
        types: model.types.len(),
        degraded: model.degraded,
        warnings,
        plan,
    })
}

/// Seconds per stage of a generation run one stage after another, in pipeline order.
pub type StageTimes = Vec<(&'static str, f64)>;

/// How long each stage took in one generation run one stage after another (no overlap, one
/// formatting thread), for the benchmarks, and the size of the code in bytes.
pub fn generate_in_stages(
    spec_path: &str,
    text: &str,
    overlay: &Overlay,
) -> Result<(StageTimes, usize), Error> {
    let mut times = Vec::new();
    let mut lap = |name: &'static str, t: std::time::Instant| {
        times.push((name, t.elapsed().as_secs_f64()));
    };
    let t = std::time::Instant::now();
    let spec = Spec::parse(spec_path, text)?;
    lap("parse", t);
    let t = std::time::Instant::now();
    let plan = select::plan(&spec, overlay.selection.as_ref());
    lap("select", t);
    let t = std::time::Instant::now();
    let resolved = resolve::resolve(&spec, plan.selected.as_ref(), false)?;
    lap("resolve", t);
    let t = std::time::Instant::now();
    let model = shape::shape(&spec, resolved, overlay)?;
    lap("shape", t);
    let t = std::time::Instant::now();
    check::check(&spec, plan.selected.as_ref())?;
    lap("check", t);
    let t = std::time::Instant::now();
    let code = emit::emit(&model, 1)
        .map_err(|e| Error::new(&spec.file, "", format!("internal error: {e}")))?;
    lap("emit_and_format", t);
    Ok((times, code.len()))
}
