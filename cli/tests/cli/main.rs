//! End-to-end tests of the `cfmtls` binary: each command runs against a local stand-in of the API
//! (the library's stateful `cloudflare_mtls::testing::StandIn`, or wiremock where the exact request
//! or an answer no real API gives is the point), and its exit code, output and requests are
//! checked.

mod common;

mod access;
mod client_certs;
mod errors;
mod expiring;
mod hostname_associations;
mod key_check;
mod keys;
mod layout;
mod mtls;
mod origin_pulls;
mod safety;
mod stand_in;
