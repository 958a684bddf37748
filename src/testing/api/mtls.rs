//! Account mTLS certificates and their associations (`/accounts/{id}/mtls_certificates`).

use super::call::Fields;
use super::state::{expiry, identifier, stamp, MtlsCert};
use super::{allowed, Call, Owner, Paging, Reply, State};
use crate::testing::x509;
use chrono::Utc;
use serde_json::{json, Value};

pub(super) fn route(state: &mut State, call: &Call, method: &str, tail: &[&str]) -> Reply {
    let Owner::Account(account) = &call.owner else {
        return Reply::no_route();
    };
    let result = match tail {
        [] => allowed(method, &["GET", "POST"]).and_then(|()| match method {
            "GET" => list(state, account, call),
            _ => create(state, account, call),
        }),
        [id] => allowed(method, &["GET", "DELETE"]).and_then(|()| match method {
            "GET" => find(state, account, id).map(|c| Reply::ok(json_of(c))),
            _ => delete(state, account, id),
        }),
        [id, "associations"] => allowed(method, &["GET"]).and_then(|()| {
            let cert = find(state, account, id)?;
            let items = cert
                .associations
                .iter()
                .map(|(service, status)| json!({ "service": service, "status": status }))
                .collect();
            Ok(Paging::unpaged(items))
        }),
        _ => Err(Reply::no_route()),
    };
    result.unwrap_or_else(|refused| refused)
}

fn find<'s>(state: &'s State, account: &str, id: &str) -> Result<&'s MtlsCert, Reply> {
    state
        .mtls
        .iter()
        .find(|c| c.account == account && c.id == id)
        .ok_or_else(|| Reply::not_found("mTLS certificate"))
}

/// The types a certificate can have.
const TYPES: &[&str] = &["custom", "gateway_managed", "access_managed"];

/// Lists the account's certificates; `type` filters by any of the types given, as repeated keys
/// (`?type=custom&type=gateway_managed`, how Cloudflare's SDKs send the list) or comma-separated
/// (`?type=custom,gateway_managed`), or both: the union. An unknown type is refused.
fn list(state: &State, account: &str, call: &Call) -> Result<Reply, Reply> {
    let kinds = call.query_list("type");
    if let Some(bad) = kinds.iter().find(|k| !TYPES.contains(k)) {
        return Err(Reply::invalid(&format!(
            "type: must be custom, gateway_managed or access_managed, got {bad:?}"
        )));
    }
    let items = state
        .mtls
        .iter()
        .filter(|c| c.account == account && (kinds.is_empty() || kinds.contains(&c.kind.as_str())))
        .map(json_of)
        .collect();
    Ok(Paging::unpaged(items))
}

fn create(state: &mut State, account: &str, call: &Call) -> Result<Reply, Reply> {
    let body = call.object()?;
    let fields = Fields::new(&body);
    let ca = fields.bool("ca")?;
    let certificates = fields.string("certificates")?;
    let name = fields.opt_string("name")?;
    let private_key = fields.opt_string("private_key")?;
    let cert = x509::parse_certificates(&certificates)
        .map_err(|why| Reply::bad_pem("certificates", &why))?;
    if let Some(key) = &private_key {
        x509::check_private_key(key).map_err(|why| Reply::bad_pem("private_key", &why))?;
    }
    let stored = MtlsCert {
        id: identifier(),
        account: account.to_owned(),
        name,
        ca,
        kind: "custom".into(),
        cert,
        uploaded_on: Utc::now(),
        associations: Vec::new(),
    };
    let mut result = json_of(&stored);
    if let Value::Object(map) = &mut result {
        map.insert("updated_at".into(), json!(stamp(stored.uploaded_on)));
    }
    state.mtls.push(stored);
    Ok(Reply::ok(result))
}

fn delete(state: &mut State, account: &str, id: &str) -> Result<Reply, Reply> {
    let cert = find(state, account, id)?;
    if !cert.associations.is_empty() {
        return Err(Reply::conflict(
            "The certificate is in use by a Cloudflare service; remove its associations first",
        ));
    }
    let result = json_of(cert);
    state.mtls.retain(|c| !(c.account == account && c.id == id));
    Ok(Reply::ok(result))
}

/// The certificate as the API returns it. A certificate uploaded without a name has no `name`
/// (Cloudflare's document types it as a string, never `null`).
pub(in crate::testing) fn json_of(c: &MtlsCert) -> Value {
    let mut value = json!({
        "id": c.id,
        "name": c.name,
        "ca": c.ca,
        "certificates": c.cert.pem,
        "issuer": c.cert.issuer,
        "serial_number": c.cert.serial_number,
        "signature": c.cert.signature,
        "expires_on": expiry(c.cert.expires_on),
        "uploaded_on": stamp(c.uploaded_on),
        "type": c.kind,
    });
    if c.name.is_none() {
        if let Some(object) = value.as_object_mut() {
            object.remove("name");
        }
    }
    value
}
