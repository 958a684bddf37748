//! What the two halves of the contract tests share (`client`: the client against `prism mock`;
//! `stand_in`: the stand-in behind `prism proxy`):
//! - the environment (variables the script sets: required, the tests never skip) and the OpenAPI
//!   documents;
//! - the operations: their operationIds by group, and the check that a call is the operation it
//!   claims (method and path against `spec/cloudflare-mtls.json`);
//! - realistic arguments (ids of the shapes Cloudflare's document gives them, request bodies), and
//!   one call of every operation with a given set of arguments (`each_operation`);
//! - what Prism reports: the `sl-violations` header, and its log, split per request.

use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Error, Scope};
use reqwest::header::HeaderMap;
use serde_json::Value;
use std::collections::BTreeMap;

// ---------------------------------------------------------------------------------------------
// Environment and documents
// ---------------------------------------------------------------------------------------------

/// A required environment variable: the contract tests fail (never skip) without it.
pub fn required_env(name: &str, what: &str) -> String {
    match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => v,
        _ => panic!(
            "{name} is not set ({what}). The contract tests need Stoplight Prism and Cloudflare's \
             spec: run them with `bash scripts/contract.sh`, which sets it"
        ),
    }
}

/// The OpenAPI document (JSON) at `path`.
pub fn read_spec(path: &str) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path} is not JSON: {e}"))
}

/// Our vendored document, the one the client is generated from.
pub fn our_spec() -> Value {
    read_spec(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/spec/cloudflare-mtls.json"
    ))
}

// ---------------------------------------------------------------------------------------------
// Operations
// ---------------------------------------------------------------------------------------------

/// operationId → (HTTP method, path template).
pub type Operations = BTreeMap<String, (String, String)>;

/// Every operation of a document: its operationId, HTTP method (as the document spells it), path
/// template, and the operation object.
pub fn spec_operations(spec: &Value) -> impl Iterator<Item = (&str, &str, &str, &Value)> {
    let paths = spec["paths"].as_object().expect("paths");
    paths.iter().flat_map(|(path, item)| {
        let item = item.as_object().expect("path item");
        item.iter().filter_map(move |(method, op)| {
            let id = op.get("operationId").and_then(Value::as_str)?;
            Some((id, method.as_str(), path.as_str(), op))
        })
    })
}

/// Every operation of a document, by operationId.
pub fn operations(spec: &Value) -> Operations {
    spec_operations(spec)
        .map(|(id, method, path, _)| (id.to_string(), (method.to_uppercase(), path.to_string())))
        .collect()
}

/// The operationIds of the Access operations on `scope`: list, get, add, update, delete, list
/// hostname settings, update hostname settings.
pub fn access_operations(scope: Scope<'_>) -> [&'static str; 7] {
    match scope {
        Scope::Account(_) => [
            "access-mtls-authentication-list-mtls-certificates",
            "access-mtls-authentication-get-an-mtls-certificate",
            "access-mtls-authentication-add-an-mtls-certificate",
            "access-mtls-authentication-update-an-mtls-certificate",
            "access-mtls-authentication-delete-an-mtls-certificate",
            "access-mtls-authentication-list-mtls-certificates-hostname-settings",
            "access-mtls-authentication-update-an-mtls-certificate-settings",
        ],
        Scope::Zone(_) => [
            "zone-level-access-mtls-authentication-list-mtls-certificates",
            "zone-level-access-mtls-authentication-get-an-mtls-certificate",
            "zone-level-access-mtls-authentication-add-an-mtls-certificate",
            "zone-level-access-mtls-authentication-update-an-mtls-certificate",
            "zone-level-access-mtls-authentication-delete-an-mtls-certificate",
            "zone-level-access-mtls-authentication-list-mtls-certificates-hostname-settings",
            "zone-level-access-mtls-authentication-update-an-mtls-certificate-settings",
        ],
    }
}

/// Modules of operationId constants: `NAME = "rest"` is `pub const NAME` = the module's prefix
/// followed by `rest`.
macro_rules! operation_ids {
    ($($(#[$doc:meta])* $module:ident $prefix:literal { $($name:ident = $rest:literal),+ $(,)? })+) => {
        $($(#[$doc])* pub mod $module {
            $(pub const $name: &str = concat!($prefix, $rest);)+
        })+
    };
}

operation_ids! {
    /// The operationIds of the account mTLS certificates.
    mtls_ops "m-tls-certificate-management-" {
        LIST = "list-m-tls-certificates",
        GET = "get-m-tls-certificate",
        UPLOAD = "upload-m-tls-certificate",
        DELETE = "delete-m-tls-certificate",
        ASSOCIATIONS = "list-m-tls-certificate-associations",
    }
    /// The operationIds of the API Shield client certificates.
    client_cert_ops "client-certificate-for-a-zone-" {
        LIST = "list-client-certificates",
        GET = "client-certificate-details",
        CREATE = "create-client-certificate",
        EDIT = "edit-client-certificate",
        DELETE = "delete-client-certificate",
    }
    /// The operationIds of zone-level Authenticated Origin Pulls.
    zone_aop_ops "zone-level-authenticated-origin-pulls-" {
        // The certificates.
        UPLOAD = "upload-certificate", LIST = "list-certificates",
        GET = "get-certificate-details", DELETE = "delete-certificate",
        // The zone's setting.
        SETTING = "get-enablement-setting-for-zone", SET = "set-enablement-for-zone",
    }
    /// The operationIds of per-hostname Authenticated Origin Pulls.
    hostname_aop_ops "per-hostname-authenticated-origin-pull-" {
        // The hostnames.
        ASSOCIATE = "enable-or-disable-a-hostname-for-client-authentication",
        STATUS = "get-the-hostname-status-for-client-authentication",
        // The certificates.
        UPLOAD = "upload-a-hostname-client-certificate", LIST = "list-certificates",
        GET = "get-the-hostname-client-certificate", DELETE = "delete-hostname-client-certificate",
    }
    /// The operationIds of the API Shield hostname associations of a CA.
    ca_hostname_ops "client-certificate-for-a-zone-" {
        LIST = "list-hostname-associations",
        PUT = "put-hostname-associations",
    }
}

/// The method and the path (as sent, percent-encoded) of a call, from its `Debug` output (which
/// prints both and never a secret).
pub fn method_and_path<T>(call: &Call<'_, T>) -> (String, String) {
    let debug = format!("{call:?}");
    // The text between the first `start` and the next `end`.
    let field = |name: &str, start: &str, end: char| {
        debug
            .split(start)
            .nth(1)
            .and_then(|rest| rest.split(end).next())
            .unwrap_or_else(|| panic!("no {name} in {debug}"))
            .to_string()
    };
    (
        field("method", "method: ", ','),
        field("path", "path: \"", '"'),
    )
}

/// Whether a concrete path matches an OpenAPI path template (each `{param}` one segment).
pub fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && t.ends_with('}') && !p.is_empty()) || t == p)
}

/// Checks that `call` is operation `op` of `ops` (those of `spec/cloudflare-mtls.json`): its
/// method and path; returns them.
pub fn target<T>(ops: &Operations, op: &str, call: &Call<'_, T>) -> (String, String) {
    let (method, path) = method_and_path(call);
    let (want_method, template) = ops
        .get(op)
        .unwrap_or_else(|| panic!("{op} is not an operationId of spec/cloudflare-mtls.json"));
    assert_eq!(&method, want_method, "{op}: HTTP method");
    assert!(
        path_matches(template, &path),
        "{op}: {path} does not match {template}"
    );
    (method, path)
}

/// The operations of `ops` for which `called` is false.
pub fn not_called(ops: &Operations, called: impl Fn(&str) -> bool) -> Vec<&String> {
    ops.keys().filter(|op| !called(op.as_str())).collect()
}

// ---------------------------------------------------------------------------------------------
// Realistic arguments. Ids have the shapes Cloudflare's document gives them: 32 hex digits
// (`..._identifier`, maxLength 32) everywhere except Access certificates (UUIDs, maxLength 36).
// ---------------------------------------------------------------------------------------------

pub const ACCESS_CERT_ID: &str = "f174e90a-fafe-4643-bbbc-4a0ed4fc8415";
pub const MTLS_CERT_ID: &str = "2458ce5a0c354c7f82c78e9487d3ff60";
pub const CLIENT_CERT_ID: &str = "b0a8b6c6e2cf4bd5a3ad5a5d2f3c3a11";
pub const AOP_CERT_ID: &str = "8e375af1389a069a0f921f8cc8e1eb12";
pub const HOSTNAME_CERT_ID: &str = "7e0c1b4a8f3d4e2b9c6a5d8e1f2a3b4c";
pub const HOSTNAME: &str = "app.example.com";
pub const PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIDmDCCAoCgAwIBAgIUKTOAZNjcXVZRj4oQt0SHsl1c1vMwDQYJKoZIhvcNAQEL\nBQAwUTELMAkGA1UEBhMCVVMxFjAUBgNVBAgMDVNhbiBGcmFuY2lzY28xEzARBgNV\n-----END CERTIFICATE-----\n";
pub const PRIVATE_KEY: &str = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQDEXDkcICRU3XBv\n-----END PRIVATE KEY-----\n";
pub const CSR: &str = "-----BEGIN CERTIFICATE REQUEST-----\nMIICYjCCAUoCAQAwHTEbMBkGA1UEAwwSYXBpLmV4YW1wbGUuY29tMIIBIjANBgkq\n-----END CERTIFICATE REQUEST-----\n";

pub fn access_certificate_create() -> AccessCertificateCreate {
    AccessCertificateCreate::new(PEM, "Allow devs")
        .associated_hostnames(vec!["admin.example.com".into(), "dev.example.com".into()])
}

pub fn access_certificate_update() -> AccessCertificateUpdate {
    AccessCertificateUpdate::new(vec!["admin.example.com".into()]).name("Allow devs")
}

pub fn access_settings_update() -> AccessCertificateSettingsUpdate {
    AccessCertificateSettingsUpdate::new(vec![
        AccessCertificateSettings::new(false, true, "admin.example.com"),
        AccessCertificateSettings::new(false, false, "dev.example.com"),
    ])
}

pub fn mtls_certificate_create() -> MtlsCertificateCreate {
    MtlsCertificateCreate::new(true, PEM)
        .name("example_ca_cert")
        .private_key(PRIVATE_KEY)
}

pub fn client_certificate_create() -> ClientCertificateCreate {
    ClientCertificateCreate::new(CSR, 3650)
}

pub fn origin_pull_certificate_create() -> OriginPullCertificateCreate {
    OriginPullCertificateCreate::new(PEM, PRIVATE_KEY)
}

pub fn hostname_origin_pull_update() -> HostnameOriginPullUpdate {
    HostnameOriginPullUpdate::new(vec![
        HostnameOriginPullConfig::new()
            .cert_id(HOSTNAME_CERT_ID)
            .enabled(true)
            .hostname(HOSTNAME),
        HostnameOriginPullConfig::new()
            .cert_id(HOSTNAME_CERT_ID)
            .enabled(false)
            .hostname("dev.example.com"),
    ])
}

pub fn hostname_certificate_create() -> HostnameCertificateCreate {
    HostnameCertificateCreate::new(PEM, PRIVATE_KEY)
}

// ---------------------------------------------------------------------------------------------
// One call of every operation
// ---------------------------------------------------------------------------------------------

/// What `each_operation` sends: the account and zone, an id of each kind, and the body of each
/// operation that takes one (the client certificate edit is always `reactivate: true`, the zone
/// setting always `enabled: true`).
pub struct Arguments {
    pub account_id: &'static str,
    pub zone_id: &'static str,
    /// An Access certificate's id (a UUID).
    pub access_cert_id: &'static str,
    pub mtls_cert_id: &'static str,
    pub client_cert_id: &'static str,
    /// A zone-level Authenticated Origin Pulls certificate's id.
    pub aop_cert_id: &'static str,
    /// A per-hostname Authenticated Origin Pulls certificate's id.
    pub hostname_cert_id: &'static str,
    pub hostname: &'static str,
    pub access_create: AccessCertificateCreate,
    pub access_update: AccessCertificateUpdate,
    pub access_settings: AccessCertificateSettingsUpdate,
    pub mtls_create: MtlsCertificateCreate,
    pub client_create: ClientCertificateCreate,
    pub aop_create: OriginPullCertificateCreate,
    pub hostnames_update: HostnameOriginPullUpdate,
    pub hostname_cert_create: HostnameCertificateCreate,
    /// The CA (an account mTLS certificate's id) the hostname associations are read and set for.
    pub ca_id: &'static str,
    pub ca_hostnames: HostnameAssociationUpdate,
}

impl Arguments {
    /// The realistic ids and bodies above, in `account_id` and `zone_id`.
    pub fn realistic(account_id: &'static str, zone_id: &'static str) -> Arguments {
        Arguments {
            account_id,
            zone_id,
            access_cert_id: ACCESS_CERT_ID,
            mtls_cert_id: MTLS_CERT_ID,
            client_cert_id: CLIENT_CERT_ID,
            aop_cert_id: AOP_CERT_ID,
            hostname_cert_id: HOSTNAME_CERT_ID,
            hostname: HOSTNAME,
            access_create: access_certificate_create(),
            access_update: access_certificate_update(),
            access_settings: access_settings_update(),
            mtls_create: mtls_certificate_create(),
            client_create: client_certificate_create(),
            aop_create: origin_pull_certificate_create(),
            hostnames_update: hostname_origin_pull_update(),
            hostname_cert_create: hostname_certificate_create(),
            ca_id: MTLS_CERT_ID,
            ca_hostnames: ca_hostnames_update(MTLS_CERT_ID),
        }
    }
}

/// Two hostnames bound to the CA `ca_id`.
pub fn ca_hostnames_update(ca_id: &str) -> HostnameAssociationUpdate {
    HostnameAssociationUpdate::new()
        .hostnames(vec![HOSTNAME.into(), "api.example.com".into()])
        .mtls_certificate_id(ca_id)
}

/// Sends one call of every operation (38: both scopes of the Access ones) with `args`, one at a
/// time: `before(op)` just before each is sent, `after(op, result)` once it is answered. Returns
/// the operationId, method and path of each, in the order sent.
pub async fn each_operation(
    client: &Client,
    args: &Arguments,
    mut before: impl FnMut(&'static str),
    mut after: impl FnMut(&'static str, Result<(), Error>),
) -> Vec<(&'static str, String, String)> {
    let mut sent = Vec::new();
    macro_rules! call {
        ($op:expr, $call:expr) => {{
            let call = $call;
            let (method, path) = method_and_path(&call);
            before($op);
            after($op, call.send().await.map(|_| ()));
            sent.push(($op, method, path));
        }};
    }
    let (account, zone) = (args.account_id, args.zone_id);

    let certs = client.access().certificates();
    for scope in [Scope::Account(account), Scope::Zone(zone)] {
        let [list, get, add, update, delete, settings, update_settings] = access_operations(scope);
        let id = args.access_cert_id;
        call!(list, certs.list(scope, Default::default()));
        call!(get, certs.get(scope, id));
        call!(add, certs.create(scope, &args.access_create));
        call!(update, certs.update(scope, id, &args.access_update));
        call!(delete, certs.delete(scope, id));
        call!(settings, certs.settings().get(scope));
        call!(
            update_settings,
            certs.settings().update(scope, &args.access_settings)
        );
    }

    let mtls = client.mtls_certificates();
    let id = args.mtls_cert_id;
    call!(mtls_ops::LIST, mtls.list(account, Default::default()));
    call!(mtls_ops::GET, mtls.get(account, id));
    call!(mtls_ops::UPLOAD, mtls.create(account, &args.mtls_create));
    call!(mtls_ops::DELETE, mtls.delete(account, id));
    call!(
        mtls_ops::ASSOCIATIONS,
        mtls.associations().list(account, id)
    );

    let cc = client.client_certificates();
    let id = args.client_cert_id;
    let reactivate = ClientCertificateEdit::new().reactivate(true);
    call!(client_cert_ops::LIST, cc.list(zone, Default::default()));
    call!(client_cert_ops::GET, cc.get(zone, id));
    call!(
        client_cert_ops::CREATE,
        cc.create(zone, &args.client_create)
    );
    call!(client_cert_ops::EDIT, cc.edit(zone, id, &reactivate));
    call!(client_cert_ops::DELETE, cc.delete(zone, id));

    let aop = client.origin_tls_client_auth();
    let id = args.aop_cert_id;
    call!(
        zone_aop_ops::UPLOAD,
        aop.zone_certificates().create(zone, &args.aop_create)
    );
    call!(zone_aop_ops::LIST, aop.zone_certificates().list(zone));
    call!(zone_aop_ops::GET, aop.zone_certificates().get(zone, id));
    call!(
        zone_aop_ops::DELETE,
        aop.zone_certificates().delete(zone, id)
    );
    call!(zone_aop_ops::SETTING, aop.settings().get(zone));
    let enable = ZoneSettingUpdate::new(true);
    call!(zone_aop_ops::SET, aop.settings().update(zone, &enable));

    let hostnames = aop.hostnames();
    let hcerts = aop.hostname_certificates();
    let id = args.hostname_cert_id;
    call!(
        hostname_aop_ops::ASSOCIATE,
        hostnames.update(zone, &args.hostnames_update)
    );
    call!(hostname_aop_ops::STATUS, hostnames.get(zone, args.hostname));
    call!(
        hostname_aop_ops::UPLOAD,
        hcerts.create(zone, &args.hostname_cert_create)
    );
    call!(hostname_aop_ops::LIST, hcerts.list(zone));
    call!(hostname_aop_ops::GET, hcerts.get(zone, id));
    call!(hostname_aop_ops::DELETE, hcerts.delete(zone, id));

    let ca_hostnames = client.certificate_authorities().hostname_associations();
    let params = HostnameAssociationGetParams::new().mtls_certificate_id(args.ca_id);
    call!(ca_hostname_ops::LIST, ca_hostnames.get(zone, params));
    call!(
        ca_hostname_ops::PUT,
        ca_hostnames.update(zone, &args.ca_hostnames)
    );
    sent
}

// ---------------------------------------------------------------------------------------------
// What Prism reports
// ---------------------------------------------------------------------------------------------

/// The `sl-violations` header of an answer, as sent (a JSON array, or "Too many violations! …").
pub fn sl_violations(headers: &HeaderMap) -> Option<String> {
    headers
        .get("sl-violations")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// The violations of an `sl-violations` header (`[{location, severity, code, message}]`), each as
/// `location message (severity)`, as Prism's log prints them.
pub fn header_violations(headers: &HeaderMap) -> Vec<String> {
    let Some(raw) = sl_violations(headers) else {
        return Vec::new();
    };
    match serde_json::from_str::<Vec<Value>>(&raw) {
        Ok(items) => items
            .iter()
            .map(|v| {
                let location: Vec<String> = v["location"]
                    .as_array()
                    .map(|l| {
                        l.iter()
                            .map(|s| s.as_str().map_or_else(|| s.to_string(), str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                format!(
                    "{} {} ({})",
                    location.join("."),
                    v["message"].as_str().unwrap_or_default(),
                    v["severity"].as_str().unwrap_or("?").to_lowercase()
                )
            })
            .collect(),
        // "Too many violations! …" (over 8 KB) or anything else: kept whole.
        Err(_) => vec![raw],
    }
}

/// One request as Prism logged it: method and path, and the violations it reported.
#[derive(Debug)]
pub struct LoggedRequest {
    pub method: String,
    pub path: String,
    /// Forwarded upstream (`prism proxy`).
    pub forwarded: bool,
    pub violations: Vec<String>,
}

/// Splits Prism's log (mock or proxy) at each "Request received" entry (`[HTTP SERVER] get /path
/// ℹ info Request received`); the entries up to the next one belong to that request.
pub fn parse_log(text: &str) -> Vec<LoggedRequest> {
    let mut out: Vec<LoggedRequest> = Vec::new();
    for line in text.lines() {
        if line.ends_with("Request received") {
            let mut words = line
                .split_once("[HTTP SERVER] ")
                .map(|(_, rest)| rest)
                .unwrap_or_default()
                .split_whitespace();
            out.push(LoggedRequest {
                method: words.next().unwrap_or_default().to_uppercase(),
                path: words.next().unwrap_or_default().to_string(),
                forwarded: false,
                violations: Vec::new(),
            });
        } else if let Some(current) = out.last_mut() {
            if line.contains("> Forwarding \"") {
                current.forwarded = true;
            } else if let Some((before, violation)) = line.split_once("Violation: ") {
                // `… [VALIDATOR] ✖  error     Violation: response.body.x message`
                let severity = before.split_whitespace().last().unwrap_or("?");
                current.violations.push(format!("{violation} ({severity})"));
            }
        }
    }
    out
}
