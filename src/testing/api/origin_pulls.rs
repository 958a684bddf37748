//! Authenticated Origin Pulls (`/zones/{id}/origin_tls_client_auth`): zone-level certificates
//! and setting, per-hostname certificates and associations.

use super::call::Fields;
use super::state::{expiry, identifier, stamp, HostnameAssociation, OriginCert};
use super::{allowed, Call, Owner, Paging, Reply, State};
use crate::testing::x509;
use chrono::Utc;
use serde_json::{json, Map, Value};

/// Which collection of certificates a route is about.
#[derive(Clone, Copy)]
enum Level {
    Zone,
    Hostname,
}

impl Level {
    fn certs(self, state: &State) -> &Vec<OriginCert> {
        match self {
            Level::Zone => &state.origin,
            Level::Hostname => &state.hostname_certs,
        }
    }

    fn certs_mut(self, state: &mut State) -> &mut Vec<OriginCert> {
        match self {
            Level::Zone => &mut state.origin,
            Level::Hostname => &mut state.hostname_certs,
        }
    }

    fn what(self) -> &'static str {
        match self {
            Level::Zone => "Origin pull certificate",
            Level::Hostname => "Hostname certificate",
        }
    }
}

pub(super) fn route(state: &mut State, call: &Call, method: &str, tail: &[&str]) -> Reply {
    let Owner::Zone(zone) = &call.owner else {
        return Reply::no_route();
    };
    let result = match tail {
        [] => collection(state, zone, call, method, Level::Zone),
        ["settings"] => allowed(method, &["GET", "PUT"]).and_then(|()| {
            if method == "PUT" {
                let body = call.object()?;
                let enabled = Fields::new(&body).bool("enabled")?;
                state.origin_enabled.insert(zone.clone(), enabled);
            }
            let enabled = state.origin_enabled.get(zone).copied().unwrap_or(false);
            Ok(Reply::ok(json!({ "enabled": enabled })))
        }),
        ["hostnames"] => allowed(method, &["PUT"]).and_then(|()| associate(state, zone, call)),
        ["hostnames", "certificates"] => collection(state, zone, call, method, Level::Hostname),
        ["hostnames", "certificates", id] => item(state, zone, id, method, Level::Hostname),
        ["hostnames", hostname] => allowed(method, &["GET"]).and_then(|()| {
            state
                .hostnames
                .iter()
                .find(|h| &h.zone == zone && h.hostname == *hostname)
                .map(|h| Reply::ok(association_json(state, h)))
                .ok_or_else(|| Reply::not_found("Hostname"))
        }),
        [id] => item(state, zone, id, method, Level::Zone),
        _ => Err(Reply::no_route()),
    };
    result.unwrap_or_else(|refused| refused)
}

/// List (GET) or upload (POST).
fn collection(
    state: &mut State,
    zone: &str,
    call: &Call,
    method: &str,
    level: Level,
) -> Result<Reply, Reply> {
    allowed(method, &["GET", "POST"])?;
    if method == "GET" {
        let items = level
            .certs(state)
            .iter()
            .filter(|c| c.zone == zone)
            .map(cert_json)
            .collect();
        return Ok(Paging::unpaged(items));
    }
    let body = call.object()?;
    let fields = Fields::new(&body);
    let certificate = fields.string("certificate")?;
    let private_key = fields.string("private_key")?;
    let cert = upload(zone, &certificate, &private_key, state.request_number)?;
    let result = cert_json(&cert);
    level.certs_mut(state).push(cert);
    Ok(Reply::ok(result))
}

/// Parses an upload; the certificate starts `pending_deployment`.
pub(in crate::testing) fn upload(
    zone: &str,
    certificate: &str,
    private_key: &str,
    request_number: u64,
) -> Result<OriginCert, Reply> {
    let cert =
        x509::parse_certificates(certificate).map_err(|why| Reply::bad_pem("certificate", &why))?;
    x509::check_private_key(private_key).map_err(|why| Reply::bad_pem("private_key", &why))?;
    let now = Utc::now();
    Ok(OriginCert {
        id: identifier(),
        zone: zone.to_owned(),
        cert,
        status: "pending_deployment".into(),
        uploaded_on: now,
        updated_at: now,
        pending_since: Some(request_number),
    })
}

/// Get (GET) or delete (DELETE) one certificate.
fn item(
    state: &mut State,
    zone: &str,
    id: &str,
    method: &str,
    level: Level,
) -> Result<Reply, Reply> {
    allowed(method, &["GET", "DELETE"])?;
    let index = level
        .certs(state)
        .iter()
        .position(|c| c.zone == zone && c.id == id)
        .ok_or_else(|| Reply::not_found(level.what()))?;
    if method == "GET" {
        return Ok(Reply::ok(cert_json(&level.certs(state)[index])));
    }
    if let Level::Hostname = level {
        if let Some(user) = state
            .hostnames
            .iter()
            .find(|h| h.zone == zone && h.cert_id == id)
        {
            return Err(Reply::conflict(&format!(
                "The certificate is in use by hostname {}; void the association first",
                user.hostname
            )));
        }
    }
    let number = state.request_number;
    let cert = &mut level.certs_mut(state)[index];
    cert.status = "pending_deletion".into();
    cert.pending_since = Some(number);
    cert.updated_at = Utc::now();
    Ok(Reply::ok(cert_json(cert)))
}

/// `PUT …/hostnames`: associates, changes or voids (`enabled: null`) hostnames.
fn associate(state: &mut State, zone: &str, call: &Call) -> Result<Reply, Reply> {
    let body = call.object()?;
    let config = Fields::new(&body).objects("config")?;
    // Check every entry before changing anything.
    let mut changes = Vec::with_capacity(config.len());
    for (i, entry) in config.iter().enumerate() {
        changes.push(read_entry(state, zone, i, entry)?);
    }
    let now = Utc::now();
    let mut result = Vec::new();
    for (hostname, cert_id, enabled) in changes {
        let existing = state
            .hostnames
            .iter()
            .position(|h| h.zone == zone && h.hostname == hostname);
        match (enabled, existing) {
            (Enabled::Void, Some(index)) => {
                let removed = state.hostnames.remove(index);
                let mut voided = association_json(state, &removed);
                voided["enabled"] = Value::Null;
                voided["status"] = json!("pending_deletion");
                result.push(voided);
            }
            (Enabled::Void, None) => {
                return Err(Reply::not_found(&format!("Hostname {hostname:?}")));
            }
            (set, Some(index)) => {
                let association = &mut state.hostnames[index];
                if let Some(cert_id) = cert_id {
                    association.cert_id = cert_id;
                }
                if let Enabled::Set(on) = set {
                    association.enabled = on;
                }
                association.updated_at = now;
                result.push(association_json(state, &state.hostnames[index]));
            }
            (set, None) => {
                let Some(cert_id) = cert_id else {
                    return Err(Reply::invalid(&format!(
                        "cert_id: is required to associate hostname {hostname:?}"
                    )));
                };
                let association = HostnameAssociation {
                    zone: zone.to_owned(),
                    hostname,
                    cert_id,
                    enabled: matches!(set, Enabled::Set(true)),
                    created_at: now,
                    updated_at: now,
                };
                result.push(association_json(state, &association));
                state.hostnames.push(association);
            }
        }
    }
    Ok(Paging::unpaged(result))
}

/// What an entry says of `enabled`.
enum Enabled {
    Absent,
    Void,
    Set(bool),
}

fn read_entry(
    state: &State,
    zone: &str,
    i: usize,
    entry: &Map<String, Value>,
) -> Result<(String, Option<String>, Enabled), Reply> {
    let fields = Fields::nested(entry, format!("config[{i}]"));
    let hostname = fields.string("hostname")?;
    let cert_id = fields.opt_string("cert_id")?;
    let enabled = match entry.get("enabled") {
        None => Enabled::Absent,
        Some(Value::Null) => Enabled::Void,
        Some(Value::Bool(b)) => Enabled::Set(*b),
        Some(_) => {
            return Err(Reply::invalid(&format!(
                "config[{i}].enabled: must be true, false or null"
            )))
        }
    };
    if let Some(id) = &cert_id {
        if !state
            .hostname_certs
            .iter()
            .any(|c| c.zone == zone && &c.id == id)
        {
            return Err(Reply::not_found(&format!("Hostname certificate {id:?}")));
        }
    }
    Ok((hostname, cert_id, enabled))
}

/// A zone-level or hostname certificate as the API returns it (never its private key).
pub(in crate::testing) fn cert_json(c: &OriginCert) -> Value {
    json!({
        "id": c.id,
        "certificate": c.cert.pem,
        "issuer": c.cert.issuer,
        "serial_number": c.cert.serial_number,
        "signature": c.cert.signature,
        "expires_on": expiry(c.cert.expires_on),
        "status": c.status,
        "uploaded_on": stamp(c.uploaded_on),
    })
}

/// A hostname association as the API returns it, with its certificate's fields.
fn association_json(state: &State, h: &HostnameAssociation) -> Value {
    let cert = state
        .hostname_certs
        .iter()
        .find(|c| c.zone == h.zone && c.id == h.cert_id);
    let mut value = json!({
        "hostname": h.hostname,
        "cert_id": h.cert_id,
        "enabled": h.enabled,
        "status": "active",
        "created_at": stamp(h.created_at),
        "updated_at": stamp(h.updated_at),
    });
    if let (Some(cert), Value::Object(map)) = (cert, &mut value) {
        map.insert("certificate".into(), json!(cert.cert.pem));
        map.insert("cert_status".into(), json!(cert.status));
        map.insert("cert_uploaded_on".into(), json!(stamp(cert.uploaded_on)));
        map.insert("cert_updated_at".into(), json!(stamp(cert.updated_at)));
        map.insert("expires_on".into(), json!(expiry(cert.cert.expires_on)));
        map.insert("issuer".into(), json!(cert.cert.issuer));
        map.insert("serial_number".into(), json!(cert.cert.serial_number));
        map.insert("signature".into(), json!(cert.cert.signature));
    }
    value
}
