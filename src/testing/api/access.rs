//! Access mTLS root certificates and hostname settings, on accounts and zones
//! (`/{accounts|zones}/{id}/access/certificates`).

use super::call::Fields;
use super::state::{expiry, stamp, uuid, AccessCert, AccessSetting};
use super::{allowed, Call, Owner, Reply, State};
use crate::testing::x509;
use chrono::Utc;
use serde_json::{json, Value};

pub(super) fn route(state: &mut State, call: &Call, method: &str, tail: &[&str]) -> Reply {
    let owner = &call.owner;
    let result = match tail {
        [] => allowed(method, &["GET", "POST"]).and_then(|()| match method {
            "GET" => list(state, owner, call),
            _ => create(state, owner, call),
        }),
        ["settings"] => allowed(method, &["GET", "PUT"]).and_then(|()| match method {
            "GET" => Ok(settings(state, owner)),
            _ => update_settings(state, owner, call),
        }),
        [id] => allowed(method, &["GET", "PUT", "DELETE"]).and_then(|()| match method {
            "GET" => find(state, owner, id).map(|c| Reply::ok(json_of(&state.access[c]))),
            "PUT" => update(state, owner, id, call),
            _ => delete(state, owner, id),
        }),
        _ => Err(Reply::no_route()),
    };
    result.unwrap_or_else(|refused| refused)
}

fn find(state: &State, owner: &Owner, id: &str) -> Result<usize, Reply> {
    state
        .access
        .iter()
        .position(|c| &c.owner == owner && c.id == id)
        .ok_or_else(|| Reply::not_found("Access certificate"))
}

fn list(state: &State, owner: &Owner, call: &Call) -> Result<Reply, Reply> {
    let paging = call.paging(50, 1, usize::MAX)?;
    let items = state
        .access
        .iter()
        .filter(|c| &c.owner == owner)
        .map(json_of)
        .collect();
    Ok(paging.apply(items))
}

fn create(state: &mut State, owner: &Owner, call: &Call) -> Result<Reply, Reply> {
    let body = call.object()?;
    let fields = Fields::new(&body);
    let name = fields.string("name")?;
    let certificate = fields.string("certificate")?;
    let hostnames = fields
        .opt_strings("associated_hostnames")?
        .unwrap_or_default();
    let cert = x509::parse_certificates(&certificate)
        .map_err(|why| Reply::bad_pem("certificate", &why))?;
    check_name_free(state, owner, &name, None)?;
    let now = Utc::now();
    let stored = AccessCert {
        id: uuid(),
        owner: owner.clone(),
        name,
        cert,
        hostnames,
        created_at: now,
        updated_at: now,
    };
    let result = json_of(&stored);
    state.access.push(stored);
    Ok(Reply::ok(result).with_status(201))
}

fn update(state: &mut State, owner: &Owner, id: &str, call: &Call) -> Result<Reply, Reply> {
    let index = find(state, owner, id)?;
    let body = call.object()?;
    let fields = Fields::new(&body);
    let hostnames = fields
        .opt_strings("associated_hostnames")?
        .ok_or_else(|| Reply::invalid("associated_hostnames: is required"))?;
    let name = fields.opt_string("name")?;
    if let Some(name) = &name {
        check_name_free(state, owner, name, Some(id))?;
    }
    let cert = &mut state.access[index];
    cert.hostnames = hostnames;
    if let Some(name) = name {
        cert.name = name;
    }
    cert.updated_at = Utc::now();
    Ok(Reply::ok(json_of(cert)))
}

/// Names are unique within an account or zone.
fn check_name_free(
    state: &State,
    owner: &Owner,
    name: &str,
    except: Option<&str>,
) -> Result<(), Reply> {
    let taken = state
        .access
        .iter()
        .any(|c| &c.owner == owner && c.name == name && Some(c.id.as_str()) != except);
    if taken {
        return Err(Reply::conflict(&format!(
            "An mTLS certificate named {name:?} already exists"
        )));
    }
    Ok(())
}

fn delete(state: &mut State, owner: &Owner, id: &str) -> Result<Reply, Reply> {
    let index = find(state, owner, id)?;
    if !state.access[index].hostnames.is_empty() {
        return Err(Reply::conflict(
            "The certificate has associated hostnames; remove them before deleting it",
        ));
    }
    state.access.remove(index);
    Ok(Reply::ok(json!({ "id": id })))
}

fn settings(state: &State, owner: &Owner) -> Reply {
    super::Paging::unpaged(
        state
            .access_settings
            .iter()
            .filter(|s| &s.owner == owner)
            .map(setting_json)
            .collect(),
    )
}

fn update_settings(state: &mut State, owner: &Owner, call: &Call) -> Result<Reply, Reply> {
    let body = call.object()?;
    let entries = Fields::new(&body).objects("settings")?;
    let mut parsed = Vec::with_capacity(entries.len());
    for (i, entry) in entries.iter().enumerate() {
        let fields = Fields::nested(entry, format!("settings[{i}]"));
        parsed.push(AccessSetting {
            owner: owner.clone(),
            hostname: fields.string("hostname")?,
            china_network: fields.bool("china_network")?,
            client_certificate_forwarding: fields.bool("client_certificate_forwarding")?,
        });
    }
    state.access_settings.retain(|s| &s.owner != owner);
    state.access_settings.extend(parsed);
    Ok(settings(state, owner).with_status(202))
}

fn setting_json(s: &AccessSetting) -> Value {
    json!({
        "hostname": s.hostname,
        "china_network": s.china_network,
        "client_certificate_forwarding": s.client_certificate_forwarding,
    })
}

/// The certificate as the API returns it.
pub(in crate::testing) fn json_of(c: &AccessCert) -> Value {
    json!({
        "id": c.id,
        "name": c.name,
        "associated_hostnames": c.hostnames,
        "fingerprint": c.cert.md5_fingerprint,
        "expires_on": expiry(c.cert.expires_on),
        "created_at": stamp(c.created_at),
        "updated_at": stamp(c.updated_at),
    })
}
