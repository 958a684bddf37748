//! One operation of each HTTP method ([`Op`]) with per-call options ([`Opts`]), and a mock server
//! with a retrying client reused across the cases of a table ([`Rig`]): what the retry, timeout
//! and error tables send.

use cloudflare_mtls::types::*;
use cloudflare_mtls::{Call, Client, Error, RetryPolicy};
use cloudflare_mtls_test_support::*;
use serde_json::json;
use std::net::TcpListener;
use std::time::Duration;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockBuilder, MockServer, ResponseTemplate};

/// An mTLS certificate id (Cloudflare's example).
pub(crate) const CERT_ID: &str = "2458ce5a0c354c7f82c78e9487d3ff60";
/// A `cf-ray` value.
pub(crate) const RAY: &str = "8c1f0e2b3a4d5e6f-SJC";
/// A private key that must never be shown.
pub(crate) const SECRET_KEY: &str =
    "-----BEGIN PRIVATE KEY-----\nTOP-SECRET-KEY-MATERIAL\n-----END PRIVATE KEY-----\n";

/// The path of `mtls_certificates.get` of [`CERT_ID`].
pub(crate) fn mtls_path() -> String {
    format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{CERT_ID}")
}

/// The error of a GET of the mTLS certificate that a server answers with `response` to the
/// request `mock` matches (once).
pub(crate) async fn error_of_get_on(mock: MockBuilder, response: ResponseTemplate) -> Error {
    let server = serving(mock, response).await;
    client(&server)
        .mtls_certificates()
        .get(ACCOUNT_ID, CERT_ID)
        .await
        .expect_err("an error")
}

/// The error of a GET of the mTLS certificate that a server answers with `response`.
pub(crate) async fn error_of_get(response: ResponseTemplate) -> Error {
    error_of_get_on(Mock::given(method("GET")).and(path(mtls_path())), response).await
}

/// A token client with 2 retries and no waits.
pub(crate) fn retrying(server: &MockServer) -> Client {
    client_retrying(&server.uri(), no_wait(2))
}

/// A port on 127.0.0.1 where nothing listens.
pub(crate) fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("local addr").port()
}

pub(crate) fn upload() -> MtlsCertificateCreate {
    MtlsCertificateCreate::new(
        true,
        "-----BEGIN CERTIFICATE-----\nPUBLIC\n-----END CERTIFICATE-----",
    )
    .name("ca")
}

/// One operation of each HTTP method, for the retry tables.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Op {
    /// `mtls_certificates.get`
    Get,
    /// `origin_tls_client_auth.settings.update`
    Put,
    /// `mtls_certificates.delete`
    Delete,
    /// `mtls_certificates.create` (an upload)
    Post,
    /// `client_certificates.edit` (reactivates a certificate)
    Patch,
}

pub(crate) const IDEMPOTENT: [Op; 3] = [Op::Get, Op::Put, Op::Delete];
pub(crate) const NON_IDEMPOTENT: [Op; 2] = [Op::Post, Op::Patch];
pub(crate) const ALL_OPS: [Op; 5] = [Op::Get, Op::Put, Op::Delete, Op::Post, Op::Patch];

/// Per-call options applied to an [`Op`]'s call.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Opts {
    pub(crate) timeout: Option<Duration>,
    /// The call's deadline: set where attempts are short and all of them must run.
    pub(crate) deadline: Option<Duration>,
    pub(crate) max_retries: Option<u32>,
}

impl Opts {
    /// No options but the call's timeout `t`.
    pub(crate) fn timeout(t: Duration) -> Opts {
        Opts {
            timeout: Some(t),
            ..Opts::default()
        }
    }

    pub(crate) fn apply<'a, T>(self, mut call: Call<'a, T>) -> Call<'a, T> {
        if let Some(t) = self.timeout {
            call = call.timeout(t);
        }
        if let Some(d) = self.deadline {
            call = call.deadline(d);
        }
        if let Some(n) = self.max_retries {
            call = call.max_retries(n);
        }
        call
    }
}

impl Op {
    pub(crate) fn method(self) -> &'static str {
        match self {
            Op::Get => "GET",
            Op::Put => "PUT",
            Op::Delete => "DELETE",
            Op::Post => "POST",
            Op::Patch => "PATCH",
        }
    }

    pub(crate) fn path(self) -> String {
        match self {
            Op::Get | Op::Delete => format!("/accounts/{ACCOUNT_ID}/mtls_certificates/{CERT_ID}"),
            Op::Put => format!("/zones/{ZONE_ID}/origin_tls_client_auth/settings"),
            Op::Post => format!("/accounts/{ACCOUNT_ID}/mtls_certificates"),
            Op::Patch => format!("/zones/{ZONE_ID}/client_certificates/{CERT_ID}"),
        }
    }

    /// A mock for this operation's method and path.
    pub(crate) fn mock(self) -> wiremock::MockBuilder {
        Mock::given(method(self.method())).and(path(self.path()))
    }

    /// Sends the operation; the result is dropped (every response type accepts `{"id": …}`).
    pub(crate) async fn send(self, client: &Client, opts: Opts) -> Result<(), Error> {
        match self {
            Op::Get => opts
                .apply(client.mtls_certificates().get(ACCOUNT_ID, CERT_ID))
                .await
                .map(drop),
            Op::Put => opts
                .apply(
                    client
                        .origin_tls_client_auth()
                        .settings()
                        .update(ZONE_ID, &ZoneSettingUpdate::new(true)),
                )
                .await
                .map(drop),
            Op::Delete => opts
                .apply(client.mtls_certificates().delete(ACCOUNT_ID, CERT_ID))
                .await
                .map(drop),
            Op::Post => opts
                .apply(client.mtls_certificates().create(ACCOUNT_ID, &upload()))
                .await
                .map(drop),
            Op::Patch => opts
                .apply(client.client_certificates().edit(
                    ZONE_ID,
                    CERT_ID,
                    &ClientCertificateEdit::new().reactivate(true),
                ))
                .await
                .map(drop),
        }
    }
}

pub(crate) fn ok_cert() -> ResponseTemplate {
    ok(json!({ "id": CERT_ID }))
}

/// Mounts on `server` `first` for the first request of `op` and a success for those after it.
pub(crate) async fn mount_first_then_ok(server: &MockServer, op: Op, first: ResponseTemplate) {
    op.mock()
        .respond_with(first)
        .up_to_n_times(1)
        .mount(server)
        .await;
    op.mock().respond_with(ok_cert()).mount(server).await;
}

/// Mounts on a fresh server `response` for every request of `op`.
pub(crate) async fn always_answering(op: Op, response: ResponseTemplate) -> MockServer {
    let server = server().await;
    op.mock().respond_with(response).mount(&server).await;
    server
}

/// A mock server and a token client for it, reused across the cases of a table (building a
/// client loads the TLS roots, which takes a while in debug builds).
pub(crate) struct Rig {
    pub(crate) server: MockServer,
    pub(crate) client: Client,
}

impl Rig {
    /// A rig whose client retries twice without waiting.
    pub(crate) async fn retrying() -> Rig {
        Rig::with(no_wait(2)).await
    }

    pub(crate) async fn with(policy: RetryPolicy) -> Rig {
        let server = server().await;
        let client = client_retrying(&server.uri(), policy);
        Rig { server, client }
    }

    /// Forgets the mocks and the requests received so far.
    pub(crate) async fn reset(&self) {
        self.server.reset().await;
    }

    pub(crate) async fn received(&self) -> usize {
        received(&self.server).await
    }

    /// Mounts `first` for the first request of `op` and a success after it; sends `op`; returns
    /// the result and the number of requests the server received.
    pub(crate) async fn first_then_ok(
        &self,
        op: Op,
        first: ResponseTemplate,
    ) -> (Result<(), Error>, usize) {
        self.reset().await;
        mount_first_then_ok(&self.server, op, first).await;
        let result = op.send(&self.client, Opts::default()).await;
        (result, self.received().await)
    }

    /// Mounts `response` for every request of `op`; sends `op` with `opts`; returns the result and
    /// the number of requests the server received.
    pub(crate) async fn always(
        &self,
        op: Op,
        response: ResponseTemplate,
        opts: Opts,
    ) -> (Result<(), Error>, usize) {
        self.reset().await;
        op.mock().respond_with(response).mount(&self.server).await;
        let result = op.send(&self.client, opts).await;
        (result, self.received().await)
    }
}
