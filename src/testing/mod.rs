//! A stateful stand-in of Cloudflare's mTLS certificate API, for tests that must not touch a real
//! account (cargo feature `testing`, off by default).
//!
//! [`StandIn::start`] starts an HTTP server on a loopback port, on a thread of its own, and gives
//! its [base URL](StandIn::base_url) and a [ready `Client`](StandIn::client). It serves all 36
//! operations of this crate and keeps what they create: account mTLS certificates and their
//! associations, Access mTLS certificates and hostname settings on accounts and zones, API Shield
//! client certificates (issued from a CSR by a managed CA of its own, through the status lifecycle),
//! and zone-level and per-hostname Authenticated Origin Pulls. It answers like Cloudflare: the
//! envelope, `result_info` with real paging, and Cloudflare's errors (see [Errors](#errors)).
//!
//! Tests [seed](StandIn::seed) it, read the [requests](StandIn::requests) it received, and
//! [inject](StandIn::inject) faults: a 429 with `Retry-After`, a 5xx, the HTML 502 of Cloudflare's
//! edge, a delay or a dropped connection, for the next N requests that match.
//!
//! Every response it gives validates against Cloudflare's published OpenAPI document: the
//! project's contract suite runs Stoplight Prism as a validating proxy in front of it.
//!
//! It also runs as a server process for clients in any language (`cfmtls stand-in`, on
//! [`StandIn::bind`]), with an admin API under `/__admin` ([`StandIn::admin_url`]) that does what
//! [`inject`](StandIn::inject), [`clear_faults`](StandIn::clear_faults),
//! [`requests`](StandIn::requests), [`seed_file`](StandIn::seed_file) and
//! [`reset`](StandIn::reset) do, through the same code. A whole starting state can be read from
//! a TOML or JSON [`SeedFile`].
//!
//! # Example: a rotation function, tested with a fault
//!
//! ```
//! use cloudflare_mtls::testing::{Fault, Seed, StandIn, TestCertificate, ACCOUNT_ID};
//! use cloudflare_mtls::types::MtlsCertificateCreate;
//! use cloudflare_mtls::Client;
//! use std::time::Duration;
//!
//! /// Uploads `new_ca` as `name`, then deletes the account's other CA certificates of that name.
//! async fn rotate(
//!     client: &Client,
//!     account: &str,
//!     name: &str,
//!     new_ca: &str,
//! ) -> Result<String, cloudflare_mtls::Error> {
//!     let body = MtlsCertificateCreate::new(true, new_ca).name(name);
//!     let uploaded = client.mtls_certificates().create(account, &body).await?;
//!     let new_id = uploaded.id.unwrap_or_default();
//!     for old in client.mtls_certificates().list(account, Default::default()).await? {
//!         if old.name.as_deref() == Some(name) && old.id.as_deref() != Some(new_id.as_str()) {
//!             client.mtls_certificates().delete(account, old.id.as_deref().unwrap_or_default()).await?;
//!         }
//!     }
//!     Ok(new_id)
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() {
//! let stand_in = StandIn::start().await;
//! let old_ca = TestCertificate::new("CN=Example Root CA 2025").ca(true).build();
//! stand_in.seed(Seed::mtls_certificate(ACCOUNT_ID, &old_ca.certificate_pem).ca(true).name("corp-root"));
//!
//! // The delete meets a rate limit once: the client waits for `Retry-After` and tries again.
//! stand_in.inject(
//!     Fault::rate_limited(Duration::from_secs(1)).on("DELETE", "/accounts/*/mtls_certificates/*"),
//! );
//! let new_ca = TestCertificate::new("CN=Example Root CA 2026").ca(true).build();
//! let client = stand_in.client();
//! let new_id = rotate(&client, ACCOUNT_ID, "corp-root", &new_ca.certificate_pem).await.unwrap();
//!
//! let left = client.mtls_certificates().list(ACCOUNT_ID, Default::default()).await.unwrap();
//! assert_eq!(left.len(), 1);
//! assert_eq!(left[0].id.as_deref(), Some(new_id.as_str()));
//! assert_eq!(left[0].issuer.as_deref(), Some("CN=Example Root CA 2026"));
//! let deletes = stand_in.requests().iter().filter(|r| r.method == "DELETE").count();
//! assert_eq!(deletes, 2, "one refused with 429, then the retry");
//! # }
//! ```
//!
//! # Behaviour
//!
//! - **Credentials.** Requests must carry `Authorization: Bearer` [`TOKEN`], or `X-Auth-Email`
//!   (any address) with `X-Auth-Key` [`API_KEY`]. [`StandIn::client`] does.
//! - **Accounts and zones.** Any 32-character lower-case hex id is an account or a zone (created
//!   empty on first use); [`ACCOUNT_ID`] and [`ZONE_ID`] are Cloudflare's documentation examples.
//!   Items belong to the account or zone they were created in: another one, or the other scope
//!   (an Access certificate of the account asked for under a zone), answers "not found".
//! - **Certificates** are parsed as X.509: `issuer`, `serial_number`, `signature`, `expires_on`
//!   and the fingerprints come from the certificate uploaded. Bad PEM is refused.
//! - **API Shield client certificates** are issued from the CSR by the stand-in's managed CA
//!   ([`StandIn::managed_ca_pem`]) with the requested `validity_days`. Deleting one answers
//!   `pending_revocation`, reactivating (`PATCH {"reactivate": true}`) a revoked one
//!   `pending_reactivation`; a pending state settles (to `revoked`, `active`) when the stand-in
//!   receives its next request, as if Cloudflare had finished the work in between. Origin-pull
//!   certificates start `pending_deployment` and settle to `active` the same way; a deleted one
//!   answers `pending_deletion` and is gone with the next request.
//! - **Per-hostname Authenticated Origin Pulls**: `PUT …/hostnames` associates hostnames with
//!   uploaded hostname certificates; `enabled: null` voids an association. A hostname certificate in
//!   use cannot be deleted; neither can an account mTLS certificate with associations (seeded with
//!   [`MtlsCertificateSeed::association`]) or an Access certificate with associated hostnames.
//! - **Paging**: lists that Cloudflare pages honour `page` and `per_page` (API Shield client
//!   certificates also `limit`/`offset`) and answer `result_info` with `count`, `total_count` and
//!   `total_pages`.
//!
//! # Errors
//!
//! | case | HTTP | code | message |
//! | --- | --- | --- | --- |
//! | no credentials | 400 | 9106 | `Missing X-Auth-Key, X-Auth-Email or Authorization headers` |
//! | wrong credentials | 403 | 10000 | `Authentication error` |
//! | an `Authorization` header without `Bearer` | 400 | 6003 | `Invalid request headers` |
//! | account or zone id not 32 hex characters | 400 | 7003 | `Could not route to /zones/…, perhaps your object identifier is invalid?` |
//! | no such route (including the wrong scope) | 400 | 7000 | `No route for that URI` |
//! | method not served on a route | 405 | 10405 | `Method not allowed` |
//! | body not a JSON object, a required field missing or of the wrong type | 400 | 1001 | names the field |
//! | certificate, key or CSR that does not parse | 400 | 1002 | names the field |
//! | unknown id | 404 | 1003 | `… not found` |
//! | item in use, name taken, state change not allowed | 400 | 1004 | says why |
//! | rate limited ([`Fault::rate_limited`]) | 429 | 971 | `Please wait and consider throttling your request speed` |
//!
//! The authentication, routing and rate-limit errors are Cloudflare's own codes and messages; the
//! validation and not-found codes of these endpoints are not published, so the stand-in uses the
//! fixed codes above. Test the kind ([`Error::is_not_found`](crate::Error::is_not_found), the HTTP
//! status) rather than a code.

mod admin;
mod api;
mod faults;
mod material;
pub mod pem;
mod record;
mod seed;
mod seed_file;
mod server;
mod shared;
mod x509;

pub use faults::Fault;
pub use material::{csr, TestCertificate, TestCredentials};
pub use record::RecordedRequest;
pub use seed::{
    AccessCertificateSeed, AccessHostnameSettingSeed, ClientCertificateSeed,
    HostnameAssociationSeed, MtlsCertificateSeed, Seed,
};
pub use seed_file::{SeedFile, SeedFileError, Seeded};
pub use server::StandIn;

/// The API token the stand-in accepts (`Authorization: Bearer`).
pub const TOKEN: &str = "cloudflare-mtls-stand-in-token";

/// The API key the stand-in accepts with any `X-Auth-Email`.
pub const API_KEY: &str = "cloudflare-mtls-stand-in-key";

/// An account id to use with the stand-in (Cloudflare's documentation example). Any other
/// 32-character hex id works as well.
pub const ACCOUNT_ID: &str = "023e105f4ecef8ad9ca31a8372d0c353";

/// A zone id to use with the stand-in (Cloudflare's documentation example). Any other
/// 32-character hex id works as well.
pub const ZONE_ID: &str = "7c5dae5552338874e5053f2534d2767a";
