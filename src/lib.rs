//! A typed, async client for Cloudflare's mTLS certificate APIs: Access mTLS certificates and
//! hostname settings, account mTLS certificates and their associations, API Shield client
//! certificates, and Authenticated Origin Pulls (zone and per-hostname).
//!
//! The methods and types are generated at build time from the OpenAPI document vendored in `spec/`
//! (see [`SPEC_VERSION`]); the runtime around them (client, credentials, errors, the response
//! envelope, retries, pagination) is hand-written.
//!
//! Generated types implement `Serialize` when they are sent and `Deserialize` when they are
//! received; the `serde-both-ways` feature gives every type both.
//!
//! # Where to start
//!
//! - [`Client`] (made with [`Client::from_env`], [`Client::new`] or [`Client::builder`]) reaches
//!   each group of operations through an accessor: [`Client::mtls_certificates`],
//!   [`Client::access`], [`Client::client_certificates`], [`Client::origin_tls_client_auth`]. The
//!   groups are in [`resources`], the request and result types in [`types`].
//! - Every operation returns a [`Call`]: set per-call options on it, then `.await` it for the
//!   result, or call [`Call::send_with_response`] for a [`ResponseValue`] (re-exported from
//!   `progenitor-client`): the HTTP status and headers, and the whole [`Envelope`].
//! - A list operation that is paged returns a [`Page`]; its `list_all` twin returns a
//!   [`PageStream`] of every item.
//! - Every failure is an [`Error`]; what the API itself reported is an [`ApiError`].
//! - Access operations apply to an account or a zone: they take a [`Scope`].
//!
//! # Handles and data
//!
//! An accessor returns a handle of [`resources`], named by its path and `Resource`:
//! `client.access().certificates()` is an
//! [`AccessCertificatesResource`](resources::AccessCertificatesResource), which sends requests;
//! the data it sends and receives is in [`types`] ([`AccessCertificate`](types::AccessCertificate)).
//! A handle's earlier name, its path alone (`resources::AccessCertificates`), is a deprecated alias.
//!
//! ```
//! use cloudflare_mtls::resources::AccessCertificatesSettingsResource;
//! use cloudflare_mtls::Client;
//!
//! fn hostname_settings(client: &Client) -> AccessCertificatesSettingsResource<'_> {
//!     client.access().certificates().settings()
//! }
//! # #[allow(deprecated)]
//! # fn old_name(
//! #     settings: cloudflare_mtls::resources::AccessCertificatesSettings<'_>,
//! # ) -> AccessCertificatesSettingsResource<'_> {
//! #     settings
//! # }
//! ```
//!
//! # Example
//!
//! ```no_run
//! use cloudflare_mtls::{Client, Scope, types::*};
//! use futures::TryStreamExt;
//!
//! # async fn run() -> Result<(), cloudflare_mtls::Error> {
//! let client = Client::from_env()?;
//! let account_id = "023e105f4ecef8ad9ca31a8372d0c353";
//! let cert = client
//!     .mtls_certificates()
//!     .create(
//!         account_id,
//!         &MtlsCertificateCreate::new(true, "-----BEGIN CERTIFICATE-----\n...").name("ca"),
//!     )
//!     .await?;
//! let cert_id = cert.id.as_deref().unwrap_or_default();
//! let used = client.mtls_certificates().associations().list(account_id, cert_id).await?;
//! println!("{} associations", used.len());
//!
//! let zone_id = "023e105f4ecef8ad9ca31a8372d0c353";
//! let page = client.access().certificates().list(Scope::Zone(zone_id), Default::default()).await?;
//! println!("{} Access certificates on page 1", page.items.len());
//!
//! let mut revoked = client.client_certificates().list_all(
//!     zone_id,
//!     ClientCertificateListParams::default().status(ClientCertificateStatusFilter::Revoked),
//! );
//! while let Some(c) = revoked.try_next().await? {
//!     println!("{:?}", c.id);
//! }
//! # Ok(())
//! # }
//! ```
#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod call;
mod client;
mod credentials;
mod envelope;
mod error;
mod from_body;
mod lenient;
mod nullable;
mod pagination;
mod path;
mod retry;
mod scope;
#[cfg(feature = "testing")]
#[cfg_attr(docsrs, doc(cfg(feature = "testing")))]
pub mod testing;

#[doc(hidden)]
pub mod __private;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/cloudflare_mtls.rs"));
}

pub use call::Call;
pub use client::{
    Client, ClientBuilder, DEFAULT_BASE_URL, DEFAULT_MAX_PAGES, DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
};
pub use credentials::Credentials;
pub use envelope::{Envelope, Page, ResponseMessage, ResponseMessageSource, ResultInfo};
pub use error::{ApiError, Error};
pub use from_body::FromBody;
pub use generated::{resources, types, SPEC_VERSION};
pub use nullable::Nullable;
pub use pagination::PageStream;
/// A typed response with its HTTP status and headers, as [`Call::send_with_response`] returns it
/// (re-exported from `progenitor-client`).
#[doc(no_inline)]
pub use progenitor_client::ResponseValue;
pub use retry::RetryPolicy;
pub use scope::Scope;

/// The README's examples, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
