//! Names anchored by the overlay: a type named by an operation (its result or body) or by a field
//! of an anchored type (`[fields]`) takes that name, whatever component upstream used; the inline
//! types named after it follow.

use super::Types;
use crate::ir::{Ty, TypeId, TypeKind};
use crate::naming::unique;
use std::collections::BTreeSet;

impl Types<'_> {
    /// Names the type `ty` is (when it is a named type) `wanted`, as an operation's overlay entry
    /// says: names anchored to operations, which upstream keeps, rather than to components, which
    /// it renames.
    pub fn name_by_operation(&mut self, ty: &Ty, wanted: &str) {
        if let Some(id) = ty.named_inside() {
            self.anchor(id, wanted);
        }
    }

    /// Applies the overlay's `fields` names (`"Type.field" = "Name"`): the type of that field of
    /// the type now called `Type` (its items', for a list or map) is called `Name`. Run once every
    /// operation is typed and named; entries naming a type another entry names go in rounds, so
    /// `A.b` names `B` before `B.c` is looked up.
    pub fn name_by_fields(&mut self) {
        let mut pending: Vec<(&str, &str, &str)> = self
            .overlay
            .fields
            .iter()
            .filter_map(|(key, name)| {
                let (ty, field) = key.split_once('.')?;
                Some((ty, field, name.as_str()))
            })
            .collect();
        loop {
            let before = pending.len();
            pending.retain(|(ty, field, name)| match self.field_type(ty, field) {
                Some(id) => {
                    self.anchor(id, name);
                    false
                }
                None => true,
            });
            if pending.len() == before {
                break;
            }
        }
    }

    /// The named type of the field `field` of the struct called `ty`, if both exist.
    fn field_type(&self, ty: &str, field: &str) -> Option<TypeId> {
        let def = self.defs.iter().find(|d| d.name == ty)?;
        let TypeKind::Struct(fields) = &def.kind else {
            return None;
        };
        // By its name in the API (`type`) or in Rust (`type_`).
        let f = fields
            .iter()
            .find(|f| f.api_name == field || f.name == field)?;
        f.ty.named_inside()
    }

    /// Gives type `id` the overlay's name `wanted`. The first anchor of a type wins; a type that
    /// holds `wanted` without an anchor (a component's name) gives it up and takes a suffix.
    fn anchor(&mut self, id: TypeId, wanted: &str) {
        if !self.anchored.insert(id) || self.defs[id].name == wanted {
            return;
        }
        let holder = self.defs.iter().position(|d| d.name == wanted);
        if let Some(other) = holder.filter(|o| !self.anchored.contains(o)) {
            self.defs[other].name = unique(wanted.to_string(), &mut self.taken);
            self.taken.remove(wanted);
        }
        self.rename(id, wanted, &mut BTreeSet::new());
    }

    /// Renames `id` to (a unique form of) `wanted`; the inline types named after it follow
    /// (`{Old}Status` becomes `{New}Status`), so derived names come from the anchored name, never
    /// from the component upstream happened to use.
    fn rename(&mut self, id: TypeId, wanted: &str, renamed: &mut BTreeSet<TypeId>) {
        if !renamed.insert(id) {
            return;
        }
        let old = std::mem::take(&mut self.defs[id].name);
        self.taken.remove(&old);
        let new = unique(wanted.to_string(), &mut self.taken);
        self.defs[id].name = new.clone();
        let members = self.defs[id].kind.member_tys();
        let children: Vec<TypeId> = members.into_iter().filter_map(Ty::named_inside).collect();
        for child in children {
            let followers = self.inline.contains(&child) && !self.anchored.contains(&child);
            let tail = self.defs[child]
                .name
                .strip_prefix(old.as_str())
                .map(str::to_string);
            if let Some(tail) = tail.filter(|_| followers) {
                self.rename(child, &format!("{new}{tail}"), renamed);
            }
        }
    }
}
