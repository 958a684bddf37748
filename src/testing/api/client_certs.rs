//! API Shield client certificates (`/zones/{id}/client_certificates`): issued from a CSR by the
//! managed CA, revoked and reactivated through the pending states.

use super::call::Fields;
use super::state::{expiry, identifier, stamp, ClientCert};
use super::{allowed, Call, Owner, Reply, State};
use crate::testing::x509;
use chrono::Utc;
use serde_json::{json, Value};

/// The statuses of a client certificate.
pub(in crate::testing) const STATUSES: [&str; 4] = [
    "active",
    "pending_reactivation",
    "pending_revocation",
    "revoked",
];

/// The validity a client certificate may be issued for, in days.
const VALIDITY_DAYS: std::ops::RangeInclusive<u32> = 1..=3650;

pub(super) fn route(state: &mut State, call: &Call, method: &str, tail: &[&str]) -> Reply {
    let Owner::Zone(zone) = &call.owner else {
        return Reply::no_route();
    };
    let result = match tail {
        [] => allowed(method, &["GET", "POST"]).and_then(|()| match method {
            "GET" => list(state, zone, call),
            _ => create(state, zone, call),
        }),
        [id] => allowed(method, &["GET", "PATCH", "DELETE"]).and_then(|()| match method {
            "GET" => find(state, zone, id).map(|i| Reply::ok(json_of(state, &state.client[i]))),
            "PATCH" => edit(state, zone, id, call),
            _ => revoke(state, zone, id),
        }),
        _ => Err(Reply::no_route()),
    };
    result.unwrap_or_else(|refused| refused)
}

fn find(state: &State, zone: &str, id: &str) -> Result<usize, Reply> {
    state
        .client
        .iter()
        .position(|c| c.zone == zone && c.id == id)
        .ok_or_else(|| Reply::not_found("Client certificate"))
}

fn list(state: &State, zone: &str, call: &Call) -> Result<Reply, Reply> {
    let status = call.query("status").filter(|s| *s != "all");
    if let Some(status) = status {
        if !STATUSES.contains(&status) {
            return Err(Reply::invalid(&format!(
                "status: must be all, active, pending_reactivation, pending_revocation or revoked, got {status:?}"
            )));
        }
    }
    let paging = call.paging_or_limit(20, 5, 50)?;
    let items = state
        .client
        .iter()
        .filter(|c| c.zone == zone && status.is_none_or(|s| c.status == s))
        .map(|c| json_of(state, c))
        .collect();
    Ok(paging.apply(items))
}

fn create(state: &mut State, zone: &str, call: &Call) -> Result<Reply, Reply> {
    let body = call.object()?;
    let fields = Fields::new(&body);
    let csr = fields.string("csr")?;
    let days = match body.get("validity_days") {
        // Out of u32's range is out of the validity's range too: `issue` says so.
        Some(Value::Number(n)) => n.as_u64().map_or(0, |d| u32::try_from(d).unwrap_or(0)),
        None | Some(Value::Null) => return Err(Reply::invalid("validity_days: is required")),
        Some(_) => return Err(Reply::invalid("validity_days: must be an integer")),
    };
    let cert = issue(state, zone, &csr, days)?;
    let result = json_of(state, &cert);
    state.client.push(cert);
    Ok(Reply::ok(result))
}

/// Issues a certificate for `csr`, valid `days` days, `active`.
pub(in crate::testing) fn issue(
    state: &State,
    zone: &str,
    csr: &str,
    days: u32,
) -> Result<ClientCert, Reply> {
    if !VALIDITY_DAYS.contains(&days) {
        return Err(Reply::invalid(
            "validity_days: must be an integer from 1 to 3650",
        ));
    }
    let request = x509::parse_csr(csr).map_err(|why| Reply::bad_pem("csr", &why))?;
    let cert = state
        .managed_ca
        .issue(&request, days)
        .map_err(|why| Reply::error(500, 10001, &format!("the managed CA failed: {why}")))?;
    Ok(ClientCert {
        id: identifier(),
        zone: zone.to_owned(),
        csr: request.pem.clone(),
        subject: request.subject,
        cert,
        status: "active".into(),
        issued_on: Utc::now(),
        validity_days: days,
        pending_since: None,
    })
}

fn edit(state: &mut State, zone: &str, id: &str, call: &Call) -> Result<Reply, Reply> {
    let index = find(state, zone, id)?;
    let body = call.object_or_empty()?;
    let reactivate = Fields::new(&body).opt_bool("reactivate")?.unwrap_or(false);
    let number = state.request_number;
    let cert = &mut state.client[index];
    if reactivate {
        match cert.status.as_str() {
            "revoked" | "pending_revocation" => {
                cert.status = "pending_reactivation".into();
                cert.pending_since = Some(number);
            }
            other => {
                return Err(Reply::conflict(&format!(
                    "Only a revoked client certificate can be reactivated; this one is {other}"
                )))
            }
        }
    }
    Ok(Reply::ok(json_of(state, &state.client[index])))
}

fn revoke(state: &mut State, zone: &str, id: &str) -> Result<Reply, Reply> {
    let index = find(state, zone, id)?;
    let number = state.request_number;
    let cert = &mut state.client[index];
    match cert.status.as_str() {
        "active" | "pending_reactivation" => {
            cert.status = "pending_revocation".into();
            cert.pending_since = Some(number);
        }
        other => {
            return Err(Reply::conflict(&format!(
                "The client certificate is already {other}"
            )))
        }
    }
    Ok(Reply::ok(json_of(state, &state.client[index])))
}

/// The certificate as the API returns it.
fn json_of(state: &State, c: &ClientCert) -> Value {
    json!({
        "id": c.id,
        "certificate": c.cert.pem,
        "certificate_authority": {
            "id": state.managed_ca_id,
            "name": "Cloudflare Managed CA for account",
        },
        "common_name": c.subject.common_name,
        "country": c.subject.country,
        "state": c.subject.state,
        "location": c.subject.location,
        "organization": c.subject.organization,
        "organizational_unit": c.subject.organizational_unit,
        "csr": c.csr,
        "expires_on": expiry(c.cert.expires_on),
        "issued_on": stamp(c.issued_on),
        "fingerprint_sha256": c.cert.sha256_fingerprint,
        "serial_number": c.cert.serial_number,
        "signature": c.cert.signature,
        "ski": c.cert.ski,
        "status": c.status,
        "validity_days": c.validity_days,
    })
}
