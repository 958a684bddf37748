//! API Shield hostname associations of a CA
//! (`/zones/{id}/certificate_authorities/hostname_associations`): which hostnames of a zone have
//! their client certificates checked against a CA uploaded to an account (bring your own CA), or
//! against the Cloudflare managed CA when no `mtls_certificate_id` is given.
//!
//! A hostname is served by one CA of its zone: associating it with one CA takes it from any other.
//! A CA with hostnames is in use by API Shield: its associations list `api_shield`, and it cannot be
//! deleted until its hostnames are replaced by an empty list.

use super::call::Fields;
use super::state::CaHostnames;
use super::{allowed, Call, Owner, Reply, State};
use serde_json::json;

/// The service name an account mTLS certificate's associations give API Shield.
const SERVICE: &str = "api_shield";

pub(super) fn hostname_associations(state: &mut State, call: &Call, method: &str) -> Reply {
    let Owner::Zone(zone) = &call.owner else {
        return Reply::no_route();
    };
    let result = allowed(method, &["GET", "PUT"]).and_then(|()| match method {
        "GET" => get(state, zone, call),
        _ => replace(state, zone, call),
    });
    result.unwrap_or_else(|refused| refused)
}

fn get(state: &State, zone: &str, call: &Call) -> Result<Reply, Reply> {
    let ca = call.query("mtls_certificate_id").map(str::to_owned);
    if let Some(id) = &ca {
        check_ca(state, id)?;
    }
    Ok(Reply::ok(
        json!({ "hostnames": hostnames_of(state, zone, ca.as_deref()) }),
    ))
}

fn replace(state: &mut State, zone: &str, call: &Call) -> Result<Reply, Reply> {
    let body = call.object()?;
    let fields = Fields::new(&body);
    let ca = fields.opt_string("mtls_certificate_id")?;
    let mut hostnames = fields.opt_strings("hostnames")?.unwrap_or_default();
    if let Some(bad) = hostnames.iter().find(|h| !is_hostname(h)) {
        return Err(Reply::invalid(&format!(
            "hostnames: {bad:?} is not a hostname"
        )));
    }
    if let Some(id) = &ca {
        check_ca(state, id)?;
    }
    hostnames.sort();
    hostnames.dedup();
    // Each hostname is served by one CA: taken from the zone's other CAs.
    for other in state.ca_hostnames.iter_mut().filter(|e| e.zone == zone) {
        if other.mtls_certificate_id != ca {
            other.hostnames.retain(|h| !hostnames.contains(h));
        }
    }
    state
        .ca_hostnames
        .retain(|e| e.zone != zone || e.mtls_certificate_id == ca || !e.hostnames.is_empty());
    match state
        .ca_hostnames
        .iter_mut()
        .find(|e| e.zone == zone && e.mtls_certificate_id == ca)
    {
        Some(entry) => entry.hostnames = hostnames,
        None => state.ca_hostnames.push(CaHostnames {
            zone: zone.to_owned(),
            mtls_certificate_id: ca.clone(),
            hostnames,
        }),
    }
    state.ca_hostnames.retain(|e| !e.hostnames.is_empty());
    sync_associations(state);
    Ok(Reply::ok(
        json!({ "hostnames": hostnames_of(state, zone, ca.as_deref()) }),
    ))
}

/// The CA's hostnames in `zone`, sorted.
fn hostnames_of(state: &State, zone: &str, ca: Option<&str>) -> Vec<String> {
    state
        .ca_hostnames
        .iter()
        .filter(|e| e.zone == zone && e.mtls_certificate_id.as_deref() == ca)
        .flat_map(|e| e.hostnames.iter().cloned())
        .collect()
}

/// `Ok` when `id` is an uploaded CA certificate; Cloudflare's refusals otherwise: 404 for an id
/// no account has, 400 for a leaf certificate.
fn check_ca(state: &State, id: &str) -> Result<(), Reply> {
    match state.mtls.iter().find(|c| c.id == id) {
        None => Err(Reply::not_found("mTLS certificate")),
        Some(c) if !c.ca => Err(Reply::invalid(
            "mtls_certificate_id: the certificate is not a CA certificate",
        )),
        Some(_) => Ok(()),
    }
}

/// The `api_shield` association of every uploaded certificate: present while it serves hostnames.
fn sync_associations(state: &mut State) {
    let in_use: Vec<String> = state
        .ca_hostnames
        .iter()
        .filter_map(|e| e.mtls_certificate_id.clone())
        .collect();
    for cert in &mut state.mtls {
        cert.associations.retain(|(service, _)| service != SERVICE);
        if in_use.contains(&cert.id) {
            cert.associations.push((SERVICE.into(), "active".into()));
        }
    }
}

/// A DNS name: dot-separated labels of letters, digits and hyphens (a leading `*.` allowed).
fn is_hostname(h: &str) -> bool {
    let name = h.strip_prefix("*.").unwrap_or(h);
    !name.is_empty()
        && name.len() <= 253
        && name.split('.').all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        })
}
