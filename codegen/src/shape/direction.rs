//! Marks which way each type crosses the wire: sent (in a request body or a JSON parameter) or
//! received (in a result). The emitter derives `Serialize` only on sent types and `Deserialize`
//! only on received ones (on the full Cloudflare spec, 2,684 serde derives instead of 4,302).

use crate::ir::{Resource, Ty, TypeDef};

/// Sets `sent` and `received` of every type reachable from the operations of `resources`.
pub fn mark(defs: &mut [TypeDef], resources: &[Resource]) {
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in crate::ir::operations(resources) {
        if let Some(t) = op.body.as_ref().and_then(|b| b.ty.as_ref()) {
            sent.push(t);
        }
        let params = op.path_params.iter().chain(&op.query).chain(&op.headers);
        sent.extend(params.map(|p| &p.ty));
        received.push(&op.result);
    }
    for id in reached(defs, sent) {
        defs[id].sent = true;
    }
    for id in reached(defs, received) {
        defs[id].received = true;
    }
}

/// The named types `roots` contain, directly or through other named types.
pub(crate) fn reached<'a>(defs: &[TypeDef], roots: impl IntoIterator<Item = &'a Ty>) -> Vec<usize> {
    let mut seen = vec![false; defs.len()];
    let mut stack: Vec<usize> = Vec::new();
    stack.extend(roots.into_iter().filter_map(Ty::named_inside));
    while let Some(id) = stack.pop() {
        if std::mem::replace(&mut seen[id], true) {
            continue;
        }
        stack.extend(
            defs[id]
                .kind
                .member_tys()
                .into_iter()
                .filter_map(Ty::named_inside),
        );
    }
    (0..defs.len()).filter(|&id| seen[id]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{Body, Decode, Field, Operation, Param, Scoping, TypeKind};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.into(),
            doc: String::new(),
            uses: String::new(),
            kind,
            sent: false,
            received: false,
        }
    }

    fn field(name: &str, ty: Ty) -> Field {
        Field {
            name: name.into(),
            api_name: name.into(),
            ty,
            optional: false,
            required: true,
            nullable: false,
            boxed: false,
            secret: false,
            doc: String::new(),
        }
    }

    #[test]
    fn directions_follow_bodies_parameters_and_results_through_containers() {
        let named = |id| Ty::Named(id);
        let mut defs = vec![
            def(
                "Body",
                TypeKind::Struct(vec![field("items", Ty::Vec(Box::new(named(1))))]),
            ),
            def("Shared", TypeKind::Struct(vec![field("n", Ty::Integer)])),
            def(
                "Result",
                TypeKind::Struct(vec![
                    field("by_name", Ty::Map(Box::new(named(1)))),
                    field("choice", named(3)),
                ]),
            ),
            def("Choice", TypeKind::Union(vec![("Leaf".into(), named(4))])),
            def("Leaf", TypeKind::Alias(Ty::String)),
            def("Filter", TypeKind::Enum(vec![("A".into(), "a".into())])),
            def("Unused", TypeKind::Struct(Vec::new())),
        ];
        let op = Operation {
            method: "create".into(),
            operation_ids: vec!["create".into()],
            http_method: "POST".into(),
            path: "/things".into(),
            scoping: Scoping::None,
            path_params: Vec::new(),
            query: vec![Param {
                name: "filter".into(),
                api_name: "filter".into(),
                ty: named(5),
                required: false,
                separator: None,
                doc: String::new(),
            }],
            headers: Vec::new(),
            params_struct: None,
            body: Some(Body {
                ty: Some(named(0)),
                content_type: "application/json".into(),
            }),
            result: named(2),
            decode: Decode::Envelope,
            summary: None,
            description: None,
            deprecated: false,
            tag_doc: None,
            notes: Vec::new(),
        };
        let resources = vec![Resource {
            name: "things".into(),
            operations: vec![op],
            ..Resource::default()
        }];
        mark(&mut defs, &resources);
        let ways: Vec<(&str, bool, bool)> = defs
            .iter()
            .map(|d| (d.name.as_str(), d.sent, d.received))
            .collect();
        assert_eq!(
            ways,
            [
                ("Body", true, false),
                ("Shared", true, true),
                ("Result", false, true),
                ("Choice", false, true),
                ("Leaf", false, true),
                ("Filter", true, false),
                ("Unused", false, false),
            ]
        );
    }
}
