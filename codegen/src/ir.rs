//! The named intermediate model the emitters read: types in an arena, operations grouped into
//! resources. Everything here is already named, ordered and deduplicated.

/// Index of a type in [`Model::types`].
pub type TypeId = usize;

/// A Rust type as used in a field, parameter or result.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Ty {
    /// `serde_json::Value`.
    Any,
    /// `bool`.
    Bool,
    /// `i64`.
    Integer,
    /// `f64`.
    Number,
    /// `String`.
    String,
    /// `chrono::DateTime<Utc>`.
    DateTime,
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
    /// A named type of the model.
    Named(TypeId),
    /// `Box<T>`: an alternative of a union that leads back to the union without indirection.
    Boxed(Box<Ty>),
    /// `()`: no body.
    Unit,
}

impl Ty {
    /// The named type this is, or holds as list items, map values or behind a `Box` (a `Ty` holds
    /// at most one).
    pub fn named_inside(&self) -> Option<TypeId> {
        match self {
            Ty::Named(id) => Some(*id),
            Ty::Vec(inner) | Ty::Map(inner) | Ty::Boxed(inner) => inner.named_inside(),
            Ty::Any
            | Ty::Bool
            | Ty::Integer
            | Ty::Number
            | Ty::String
            | Ty::DateTime
            | Ty::Unit => None,
        }
    }
}

/// The parameter names of a path template, in order: each `{` to the next `}` (how the emitter
/// reads a template too, so that the two never disagree on an odd name).
pub fn template_params(path: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(&rest[start + 1..start + len]);
        rest = &rest[start + len + 1..];
    }
    out
}

/// A named type.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Doc text (from the document).
    pub doc: String,
    /// Where the model uses it, written by the generator with intra-doc links ("Returned by
    /// [`MtlsCertificates::get`](…)."); emitted after `doc`.
    pub uses: String,
    /// What it is.
    pub kind: TypeKind,
    /// Sent as JSON: in a request body or a JSON-encoded parameter (derives `Serialize`).
    pub sent: bool,
    /// Received as JSON: in a result (derives `Deserialize`). Parameter structs are neither.
    pub received: bool,
}

/// The kinds of named types.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TypeKind {
    /// A struct.
    Struct(Vec<Field>),
    /// A forward-compatible string enum: `(rust variant, wire value)`.
    Enum(Vec<(String, String)>),
    /// An untagged union: `(variant name, type)`.
    Union(Vec<(String, Ty)>),
    /// A union told apart by the string property `tag`: `(variant name, tag value, type)`; other
    /// tag values decode into an `Unknown(serde_json::Value)` variant.
    Tagged {
        /// The discriminator property.
        tag: String,
        /// The alternatives.
        variants: Vec<(String, String, Ty)>,
    },
    /// A type alias.
    Alias(Ty),
}

impl TypeKind {
    /// The types a type holds, in order: its fields', its alternatives', or its alias's target.
    pub fn member_tys(&self) -> Vec<&Ty> {
        match self {
            TypeKind::Struct(fields) => fields.iter().map(|f| &f.ty).collect(),
            TypeKind::Union(vs) => vs.iter().map(|(_, t)| t).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|(_, _, t)| t).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }

    /// The same, to change them.
    pub fn member_tys_mut(&mut self) -> Vec<&mut Ty> {
        match self {
            TypeKind::Struct(fields) => fields.iter_mut().map(|f| &mut f.ty).collect(),
            TypeKind::Union(vs) => vs.iter_mut().map(|(_, t)| t).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter_mut().map(|(_, _, t)| t).collect(),
            TypeKind::Alias(t) => vec![t],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

/// A struct field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Field {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub api_name: String,
    /// Type (without the `Option` that `optional` adds).
    pub ty: Ty,
    /// Wrapped in `Option`.
    pub optional: bool,
    /// Required on the wire (an optional, required field is nullable: `None` is sent as `null`).
    pub required: bool,
    /// `nullable` in the document: with `required` false, a sent field is three-state
    /// ([`three_state`]).
    pub nullable: bool,
    /// Boxed to break a recursive type.
    pub boxed: bool,
    /// Its value is a secret: never printed by `Debug`.
    pub secret: bool,
    /// Doc text.
    pub doc: String,
}

/// Whether field `f` of type `def` is three-state (`Nullable<T>`: left out, `null`, or a value): a
/// field of a sent type that is neither required nor plain (`nullable` in the document), so that
/// `null` (which clears a setting upstream) and "leave it" both can be sent.
pub fn three_state(def: &TypeDef, f: &Field) -> bool {
    def.sent && f.nullable && !f.required && !f.api_name.is_empty()
}

/// How a field's type is wrapped in the generated struct. Decided here once; the emitter spells it
/// as tokens and the API surface as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wrap {
    /// The type itself.
    Plain,
    /// `Option<T>`.
    Option,
    /// `Nullable<T>` ([`three_state`]).
    Nullable,
}

impl Field {
    /// How this field of `def` is wrapped.
    pub fn wrap(&self, def: &TypeDef) -> Wrap {
        if three_state(def, self) {
            Wrap::Nullable
        } else if self.optional {
            Wrap::Option
        } else {
            Wrap::Plain
        }
    }
}

impl TypeDef {
    /// Whether users build values of this type (a request body's type or a parameter struct), so
    /// that it gets `new` and setters. Received-only types are built by the client from JSON.
    pub fn built_by_users(&self) -> bool {
        self.sent || !self.received
    }
}

/// The whole model.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// `info.title` of the document.
    pub title: String,
    /// `info.version` of the document.
    pub version: String,
    /// The spec file name, for the header.
    pub file: String,
    /// All named types; emitted sorted by name.
    pub types: Vec<TypeDef>,
    /// The resource tree's top-level nodes, sorted by name.
    pub resources: Vec<Resource>,
    /// Things that degraded to `serde_json::Value` (or were otherwise simplified), one line each.
    pub degraded: Vec<String>,
    /// The standard types that a type of the API shadows by name in the `types` module (a schema
    /// named `Result`): code there names these by their full paths ([`crate::emit::std_ty`]).
    pub shadowed: Vec<&'static str>,
}

impl Model {
    /// Every operation of the resource tree, depth first.
    pub fn operations(&self) -> Vec<&Operation> {
        operations(&self.resources)
    }
}

/// Every operation of a resource tree, depth first.
pub fn operations(resources: &[Resource]) -> Vec<&Operation> {
    let mut out = Vec::new();
    for r in resources {
        out.extend(r.operations.iter());
        out.extend(operations(&r.children));
    }
    out
}

/// A node of the resource tree (`client.mtls_certificates().associations()`).
#[derive(Debug, Clone, Default)]
pub struct Resource {
    /// The accessor's snake_case name.
    pub name: String,
    /// The handle struct's name: its path and `Resource` (`AccessCertificatesSettingsResource`),
    /// given by `shape::handles`, so that a handle never reads like a data type of the `types`
    /// module (`AccessCertificateSettings`).
    pub struct_name: String,
    /// The handle's name before it had the `Resource` suffix: its path alone
    /// (`AccessCertificatesSettings`), unique among those. Emitted as a `#[deprecated]` alias of
    /// `struct_name`, so code naming it keeps compiling.
    pub legacy_name: String,
    /// The dotted path (`mtls_certificates.associations`).
    pub path: String,
    /// What it manages (overlay, else the document's tag, else its operations' summaries).
    pub doc: String,
    /// Sub-resources, sorted by name.
    pub children: Vec<Resource>,
    /// Operations, sorted by method name.
    pub operations: Vec<Operation>,
    /// Old names of operations that moved (the overlay's `deprecated_aliases`), sorted by name:
    /// `#[deprecated]` methods that call the operation where it is now.
    pub aliases: Vec<Alias>,
    /// Set when the resource holds nothing but deprecated aliases (at any depth): the note of
    /// its accessor's `#[deprecated]` (where its methods went).
    pub deprecated: Option<String>,
}

impl Resource {
    /// How users reach it: `client.access().certificates()`.
    pub fn accessors(&self) -> String {
        let calls: Vec<String> = self
            .path
            .split('.')
            .map(|s| format!("{}()", s.trim_start_matches("r#")))
            .collect();
        format!("client.{}", calls.join("."))
    }
}

/// A deprecated method that calls an operation under its new name.
#[derive(Debug, Clone)]
pub struct Alias {
    /// The old method name.
    pub method: String,
    /// The accessor names from `Client` to the operation's resource
    /// (`["origin_tls_client_auth", "zone_certificates"]`).
    pub target: Vec<String>,
    /// The handle struct of the operation's resource, for doc links.
    pub target_struct: String,
    /// The operation (its method name is the new one).
    pub op: Operation,
}

/// How the account/zone scope of an operation is given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scoping {
    /// A plain path; every path parameter is an argument.
    None,
    /// A plain path under `/accounts/{id}` (its twin, if any, differs in shape).
    Account,
    /// A plain path under `/zones/{id}` (its twin, if any, differs in shape).
    Zone,
    /// One method for the `/accounts/{id}` and `/zones/{id}` twins, taking a `Scope`.
    Either,
}

/// A parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// Rust name.
    pub name: String,
    /// Name on the wire.
    pub api_name: String,
    /// Type.
    pub ty: Ty,
    /// Required.
    pub required: bool,
    /// For a list of scalars in the query: the separator its values are joined with into one
    /// value (`explode: false`: `,` for style `form`, `|` for `pipeDelimited`, a space for
    /// `spaceDelimited`), or `None` for one key per value (OpenAPI's default, `explode: true`).
    pub separator: Option<&'static str>,
    /// Doc text.
    pub doc: String,
}

/// The request body of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Body {
    /// The body's type (serialized as JSON), or `None` for raw bytes.
    pub ty: Option<Ty>,
    /// The media type.
    pub content_type: String,
}

/// How a response is decoded: the runtime's `__private::Decode` has the same variants, so that
/// the emitter only names the one the model chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decode {
    /// Cloudflare's envelope: `success` checked, `result` returned.
    Envelope,
    /// Cloudflare's envelope around a list that is not paged: an absent or `null` `result` is an
    /// empty list.
    EnvelopeList,
    /// Cloudflare's envelope with `result_info`: a page of `Page<T>`.
    Page,
    /// The whole JSON body is the result.
    Whole,
    /// A `text/*` body, as a `String`.
    Text,
    /// Any other media type, as raw bytes.
    Binary,
    /// No body (or one that is ignored).
    Empty,
}

/// One generated method.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The method name.
    pub method: String,
    /// The operationIds it came from.
    pub operation_ids: Vec<String>,
    /// HTTP method, upper case.
    pub http_method: String,
    /// The path template (for `Scoping::Either`, the part after `/{accounts|zones}/{id}`).
    pub path: String,
    /// Account/zone scoping.
    pub scoping: Scoping,
    /// Path parameters in path order (without the scope's).
    pub path_params: Vec<Param>,
    /// Query parameters.
    pub query: Vec<Param>,
    /// Header parameters.
    pub headers: Vec<Param>,
    /// The struct that holds query and header parameters, if there are any.
    pub params_struct: Option<String>,
    /// The request body.
    pub body: Option<Body>,
    /// The result type (the envelope's `result`, a page's item for `Decode::Page`).
    pub result: Ty,
    /// How the response is decoded.
    pub decode: Decode,
    /// Summary line.
    pub summary: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// Deprecated upstream.
    pub deprecated: bool,
    /// The description of the document's tag of the operation, if it has one.
    pub tag_doc: Option<String>,
    /// Notes on what was simplified.
    pub notes: Vec<String>,
}

/// A method's signature as the model decides it: the emitter spells it as tokens and the API
/// surface as text, so the two cannot disagree on what a method takes and returns.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature<'m> {
    /// The arguments after `&self`, in order.
    pub args: Vec<Arg<'m>>,
    /// What the method's call gives.
    pub output: Output<'m>,
}

/// One argument of a method.
#[derive(Debug, Clone, PartialEq)]
pub struct Arg<'m> {
    /// The Rust name (perhaps `r#` raw).
    pub name: &'m str,
    /// Its type.
    pub ty: ArgTy<'m>,
}

/// The type of a method's argument.
#[derive(Debug, Clone, PartialEq)]
pub enum ArgTy<'m> {
    /// `Scope<'_>`: an account or a zone.
    Scope,
    /// A scalar taken by value (`i64`, `f64`, `bool`).
    Value(&'m Ty),
    /// `&str`.
    Str,
    /// A reference to a named type or a request body (`&T`).
    Ref(&'m Ty),
    /// Raw request bytes: `impl Into<Bytes>`.
    Bytes,
    /// The struct of the query and header parameters, by value.
    Params(&'m str),
}

/// What a method's call gives.
#[derive(Debug, Clone, PartialEq)]
pub enum Output<'m> {
    /// One value of the result type.
    One(&'m Ty),
    /// One page of the result type (with a `_all` stream beside the method).
    Page(&'m Ty),
    /// The raw response bytes.
    Bytes,
}

impl Operation {
    /// The method's signature.
    pub fn signature(&self) -> Signature<'_> {
        let mut args = Vec::new();
        if self.scoping == Scoping::Either {
            args.push(Arg {
                name: "scope",
                ty: ArgTy::Scope,
            });
        }
        for p in &self.path_params {
            let ty = match &p.ty {
                t @ (Ty::Integer | Ty::Number | Ty::Bool) => ArgTy::Value(t),
                t @ Ty::Named(_) => ArgTy::Ref(t),
                _ => ArgTy::Str,
            };
            args.push(Arg { name: &p.name, ty });
        }
        match self.body.as_ref().map(|b| &b.ty) {
            None | Some(Some(Ty::Unit)) => {}
            Some(Some(t)) => args.push(Arg {
                name: "body",
                ty: ArgTy::Ref(t),
            }),
            Some(None) => args.push(Arg {
                name: "body",
                ty: ArgTy::Bytes,
            }),
        }
        if let Some(ps) = &self.params_struct {
            args.push(Arg {
                name: "params",
                ty: ArgTy::Params(ps),
            });
        }
        let output = match self.decode {
            Decode::Page => Output::Page(&self.result),
            Decode::Binary => Output::Bytes,
            _ => Output::One(&self.result),
        };
        Signature { args, output }
    }

    /// The types the method takes and returns: result, body, path, query and header parameters.
    pub fn tys(&self) -> Vec<&Ty> {
        let body = self.body.as_ref().and_then(|b| b.ty.as_ref());
        let params = self
            .path_params
            .iter()
            .chain(&self.query)
            .chain(&self.headers);
        std::iter::once(&self.result)
            .chain(body)
            .chain(params.map(|p| &p.ty))
            .collect()
    }

    /// The same, to change them.
    pub fn tys_mut(&mut self) -> Vec<&mut Ty> {
        let body = self.body.as_mut().and_then(|b| b.ty.as_mut());
        let params = self
            .path_params
            .iter_mut()
            .chain(&mut self.query)
            .chain(&mut self.headers);
        std::iter::once(&mut self.result)
            .chain(body)
            .chain(params.map(|p| &mut p.ty))
            .collect()
    }
}
