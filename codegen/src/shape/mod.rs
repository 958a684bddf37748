//! Stage 3: shaping. The resolved document ([`crate::resolve::Resolved`]) becomes the named model
//! ([`crate::ir::Model`]): `operations` types each operation and names it (overlay or path),
//! `types` names Rust types, `twins` merges account/zone twins, `tree` builds the resource tree,
//! `prune` drops the types merged twins left unused, `aliases` adds the deprecated old names of
//! operations that moved, `handles` names the resource handles, `recursion` makes recursive types
//! expressible, `direction` marks which types are sent and which received. Nothing here reads the
//! document or follows a `$ref`.

mod aliases;
pub mod direction;
mod handles;
pub mod operations;
mod prune;
mod recursion;
mod tree;
mod twins;
mod types;

use crate::error::Result;
use crate::ir::Model;
use crate::load::Spec;
use crate::overlay::Overlay;
use crate::resolve::Resolved;

/// Builds the model of `spec` (resolved as `resolved`, which it consumes), named with `overlay`.
pub fn shape(spec: &Spec, mut resolved: Resolved, overlay: &Overlay) -> Result<Model> {
    // Each operation is dropped once shaped; the components stay until every type is built.
    let ops = std::mem::take(&mut resolved.operations);
    let mut degraded = std::mem::take(&mut resolved.degraded);
    let mut types = types::Types::new(overlay, &resolved, spec);
    let drafts = operations::drafts(ops, &mut types, overlay, &mut degraded)?;
    types.name_by_fields();
    let (mut defs, mut type_notes) = types.into_defs();
    degraded.append(&mut type_notes);
    let drafts = twins::merge(drafts, &defs);
    let mut resources = tree::build(drafts, overlay);
    prune::prune(&mut defs, &mut resources);
    recursion::box_recursive(&mut defs);
    recursion::untie_aliases(&mut defs, &mut degraded);
    aliases::add(&mut resources, overlay, &mut degraded);
    handles::name(&mut resources);
    degraded.sort();
    degraded.dedup();
    types::describe_by_use(&mut defs, &resources);
    direction::mark(&mut defs, &resources);
    let (title, version) = spec.title_and_version();
    let shadowed = crate::emit::STD_TYPES
        .into_iter()
        .filter(|std| defs.iter().any(|d| d.name == *std))
        .collect();
    Ok(Model {
        title,
        version,
        file: spec.file.clone(),
        resources,
        types: defs,
        degraded,
        shadowed,
    })
}
