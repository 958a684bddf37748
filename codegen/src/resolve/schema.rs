//! The resolved schema model: what a schema describes once its `$ref`s are followed (named
//! components kept as references), its `allOf` flattened and its `anyOf`/`oneOf` classified.
//! Data only; [`super::resolver`] builds it.

use std::collections::BTreeSet;
use std::rc::Rc;

/// A resolved schema.
#[derive(Debug, Clone, PartialEq)]
pub struct Schema {
    /// What kind of value it describes.
    pub kind: Kind,
    /// `nullable: true`.
    pub nullable: bool,
    /// `readOnly: true`: never sent in request bodies.
    pub read_only: bool,
    /// The description (or, failing that, the title), from the schema or the alias it came through
    /// (shared: a component's body is cloned wherever it is merged or inlined).
    pub description: Option<Rc<str>>,
    /// `format` of a string (`date-time`, `binary`, `password`, …).
    pub format: Option<String>,
    /// `deprecated: true`.
    pub deprecated: bool,
    /// A note of the generator's (why the schema was simplified), for the docs.
    pub note: Option<String>,
    /// Where it was found (shared, as the description).
    pub pointer: Rc<str>,
}

/// The kinds of resolved schemas.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// Anything: an empty schema, or a placeholder union of bare types.
    Any,
    /// Only `null` (`enum: [null]`): gives way to anything it is merged with.
    Null,
    /// `boolean`.
    Bool,
    /// `integer`.
    Integer,
    /// `number`.
    Number,
    /// `string`.
    String,
    /// A string enum, in document order.
    Enum(Vec<String>),
    /// `array`.
    Array(Box<Schema>),
    /// `object`.
    Object(Object),
    /// A named component schema (`#/components/schemas/NAME`).
    Ref(String),
    /// Real alternatives (`anyOf`/`oneOf`), with the discriminator when every alternative is a
    /// named component and the document names the property that tells them apart.
    Union(Vec<Schema>, Option<Discriminator>),
}

/// How a `oneOf` tells its alternatives apart: the property, and its value for each alternative.
#[derive(Debug, Clone, PartialEq)]
pub struct Discriminator {
    /// The property name.
    pub property: String,
    /// The property's value for each alternative, in order.
    pub values: Vec<String>,
}

/// The properties of an object schema.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Object {
    /// Properties in document order.
    pub properties: Vec<(String, Schema)>,
    /// Required property names.
    pub required: BTreeSet<String>,
    /// `additionalProperties` with a schema (a map); `None` when absent or `false`.
    pub additional: Option<Box<Schema>>,
}

impl Schema {
    /// A schema of `kind` found at `pointer`, with no flags.
    pub fn new(kind: Kind, pointer: &str) -> Self {
        Schema {
            kind,
            nullable: false,
            read_only: false,
            description: None,
            format: None,
            deprecated: false,
            note: None,
            pointer: pointer.into(),
        }
    }

    /// Whether this is a bare placeholder (`{type: object}`, `{type: array, items: {}}`, `{type: string}`).
    pub fn is_bare(&self) -> bool {
        match &self.kind {
            Kind::Any | Kind::Null => true,
            Kind::String => self.format.is_none(),
            Kind::Array(items) => matches!(items.kind, Kind::Any),
            Kind::Object(o) => o.properties.is_empty() && o.additional.is_none(),
            _ => false,
        }
    }
}
