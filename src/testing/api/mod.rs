//! The API itself: credentials, routing, and the state the operations share.

mod access;
mod call;
mod certificate_authorities;
mod client_certs;
mod mtls;
mod origin_pulls;
mod reply;
mod state;

pub(super) use client_certs::{issue as issue_client_certificate, STATUSES as CLIENT_STATUSES};
pub(super) use origin_pulls::upload as upload_origin_certificate;
pub(super) use reply::Reply;
pub(super) use state::{identifier, uuid, Owner, State};
pub(super) use state::{AccessCert, AccessSetting, HostnameAssociation, MtlsCert};

use call::Call;
use reply::Paging;

use super::record::RecordedRequest;
use super::{API_KEY, TOKEN};

impl State {
    /// Answers one request.
    pub(in crate::testing) fn handle(&mut self, req: &RecordedRequest) -> Reply {
        if let Some(refused) = check_credentials(req) {
            return refused;
        }
        let segments: Vec<&str> = req.path.split('/').filter(|s| !s.is_empty()).collect();
        let [scope, id, rest @ ..] = segments.as_slice() else {
            return Reply::no_route();
        };
        let owner = match *scope {
            "accounts" => Owner::Account((*id).to_owned()),
            "zones" => Owner::Zone((*id).to_owned()),
            _ => return Reply::no_route(),
        };
        if !is_identifier(id) {
            return Reply::error(
                400,
                7003,
                &format!(
                    "Could not route to /{scope}/{id}, perhaps your object identifier is invalid?"
                ),
            );
        }
        self.settle();
        let call = Call::new(req, owner);
        let method = req.method.as_str();
        match (&call.owner, rest) {
            (_, ["access", "certificates", tail @ ..]) => access::route(self, &call, method, tail),
            (Owner::Account(_), ["mtls_certificates", tail @ ..]) => {
                mtls::route(self, &call, method, tail)
            }
            (Owner::Zone(_), ["certificate_authorities", "hostname_associations"]) => {
                certificate_authorities::hostname_associations(self, &call, method)
            }
            (Owner::Zone(_), ["client_certificates", tail @ ..]) => {
                client_certs::route(self, &call, method, tail)
            }
            (Owner::Zone(_), ["origin_tls_client_auth", tail @ ..]) => {
                origin_pulls::route(self, &call, method, tail)
            }
            _ => Reply::no_route(),
        }
    }
}

/// Whether `id` is a Cloudflare account or zone id: 32 lower-case hex characters.
pub(super) fn is_identifier(id: &str) -> bool {
    id.len() == 32 && id.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// `None` when the request carries the stand-in's credentials, else Cloudflare's refusal.
fn check_credentials(req: &RecordedRequest) -> Option<Reply> {
    let authorization = req.header("authorization");
    let token = match authorization.map(|v| v.strip_prefix("Bearer ")) {
        Some(None) => return Some(Reply::error(400, 6003, "Invalid request headers")),
        Some(Some(token)) => Some(token.trim()),
        None => None,
    };
    let key = req.header("x-auth-key");
    let email = req.header("x-auth-email");
    let service_key = req.header("x-auth-user-service-key");
    let accepted = token == Some(TOKEN) || (key == Some(API_KEY) && email.is_some());
    if accepted {
        return None;
    }
    if token.is_none() && key.is_none() && email.is_none() && service_key.is_none() {
        return Some(Reply::error(
            400,
            9106,
            "Missing X-Auth-Key, X-Auth-Email or Authorization headers",
        ));
    }
    Some(Reply::error(403, 10000, "Authentication error"))
}

/// Whether `method` is one of `allowed`; the reply for a route that does not serve it.
fn allowed(method: &str, allowed: &[&str]) -> Result<(), Reply> {
    if allowed.contains(&method) {
        Ok(())
    } else {
        Err(Reply::method_not_allowed())
    }
}
