//! End-to-end tests of the `cfmtls` binary: each command runs against a local stand-in of the API
//! (wiremock), and its exit code, output and requests are checked.

mod common;

mod access;
mod client_certs;
mod errors;
mod key_check;
mod keys;
mod mtls;
mod origin_pulls;
mod safety;
