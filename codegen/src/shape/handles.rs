//! Handle names. A resource's handle is named by its path and `Resource`
//! (`AccessCertificatesSettingsResource`), so that a handle and a data type of the `types` module
//! (`AccessCertificateSettings`) never differ by a letter only. Its legacy name (the path alone,
//! which `tree` and `aliases` make unique) stays as a `#[deprecated]` alias.

use crate::ir::Resource;
use crate::naming;
use std::collections::{BTreeMap, BTreeSet};

/// The suffix of every handle's name.
pub const SUFFIX: &str = "Resource";

/// Names every handle in `resources` (parents before children, siblings in order), each unique
/// and unlike every legacy name, so that each legacy alias has its name free; points the
/// deprecated methods' doc links at the new names.
pub fn name(resources: &mut [Resource]) {
    let mut taken = BTreeSet::new();
    collect_legacy(resources, &mut taken);
    let mut renamed = BTreeMap::new();
    for r in resources.iter_mut() {
        assign(r, &mut taken, &mut renamed);
    }
    for r in resources.iter_mut() {
        retarget(r, &renamed);
    }
}

fn collect_legacy(resources: &[Resource], out: &mut BTreeSet<String>) {
    for r in resources {
        out.insert(r.legacy_name.clone());
        collect_legacy(&r.children, out);
    }
}

fn assign(r: &mut Resource, taken: &mut BTreeSet<String>, renamed: &mut BTreeMap<String, String>) {
    let path: String = r.path.split('.').map(naming::camel).collect();
    r.struct_name = naming::unique(format!("{path}{SUFFIX}"), taken);
    renamed.insert(r.legacy_name.clone(), r.struct_name.clone());
    for c in &mut r.children {
        assign(c, taken, renamed);
    }
}

fn retarget(r: &mut Resource, renamed: &BTreeMap<String, String>) {
    for a in &mut r.aliases {
        if let Some(new) = renamed.get(&a.target_struct) {
            a.target_struct = new.clone();
        }
    }
    for c in &mut r.children {
        retarget(c, renamed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(path: &str, legacy: &str, children: Vec<Resource>) -> Resource {
        Resource {
            name: path.rsplit('.').next().unwrap_or(path).to_string(),
            path: path.to_string(),
            legacy_name: legacy.to_string(),
            children,
            ..Resource::default()
        }
    }

    #[test]
    fn handles_get_the_suffix_and_never_a_legacy_name() {
        // `foo_resource`'s legacy name is what `foo`'s new name would be.
        let mut tree = vec![
            resource(
                "foo",
                "Foo",
                vec![resource("foo.settings", "FooSettings", vec![])],
            ),
            resource("foo_resource", "FooResource", vec![]),
        ];
        name(&mut tree);
        let names = |r: &Resource| (r.legacy_name.clone(), r.struct_name.clone());
        assert_eq!(names(&tree[0]), ("Foo".into(), "FooResource2".into()));
        assert_eq!(
            names(&tree[0].children[0]),
            ("FooSettings".into(), "FooSettingsResource".into())
        );
        assert_eq!(
            names(&tree[1]),
            ("FooResource".into(), "FooResourceResource".into())
        );
    }
}
