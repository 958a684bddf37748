//! The loopback HTTP server: one thread with its own runtime, a task per connection, faults
//! applied before a request reaches the API, every request recorded.

use super::api::Reply;
use super::faults::{Fault, FaultKind};
use super::record::RecordedRequest;
use super::seed::Seed;
use super::seed_file::{SeedFile, SeedFileError, Seeded};
use super::shared::Shared;
use super::{admin, TOKEN};
use crate::{Client, Credentials};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use tokio::sync::oneshot;

/// Request bodies above this size are refused (413) without being read further.
const MAX_BODY: usize = 1 << 20;

/// A running stand-in of the Cloudflare mTLS API (see the [module docs](super)).
///
/// It stops when dropped.
pub struct StandIn {
    base_url: String,
    shared: Arc<Shared>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl StandIn {
    /// Starts a stand-in on a free loopback port.
    ///
    /// # Panics
    ///
    /// When no loopback port can be bound or no thread started (see [`StandIn::try_start`]).
    pub async fn start() -> StandIn {
        match StandIn::try_start().await {
            Ok(stand_in) => stand_in,
            Err(e) => panic!("cannot start the Cloudflare API stand-in: {e}"),
        }
    }

    /// Starts a stand-in on a free loopback port, or says why it cannot.
    pub async fn try_start() -> std::io::Result<StandIn> {
        StandIn::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, 0))).await
    }

    /// Starts a stand-in on `addr` (port 0: a free port), or says why it cannot: the server
    /// process (`cfmtls stand-in`) is this. On an unspecified address (`0.0.0.0`, `::`), the
    /// [base URL](StandIn::base_url) names the loopback address.
    ///
    /// Anything that can reach the address can use the API and the admin API (`/__admin`), which
    /// take no credentials of their own: keep it on loopback unless the network is yours.
    pub async fn bind(addr: SocketAddr) -> std::io::Result<StandIn> {
        let listener = std::net::TcpListener::bind(addr)?;
        listener.set_nonblocking(true)?;
        let mut addr = listener.local_addr()?;
        if addr.ip().is_unspecified() {
            addr.set_ip(match addr {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => std::net::Ipv6Addr::LOCALHOST.into(),
            });
        }
        let base_url = format!("http://{addr}/client/v4");
        let shared = Arc::new(Shared::new(base_url.clone())?);
        let (stop, stopped) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name("cloudflare-mtls-stand-in".into())
            .spawn(move || runtime.block_on(serve(listener, serving, stopped)))?;
        Ok(StandIn {
            base_url,
            shared,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// The base URL to give a client: `http://127.0.0.1:PORT/client/v4` (paths without the
    /// `/client/v4` prefix are served too).
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The base URL of the admin API (`http://127.0.0.1:PORT/__admin`): the methods of
    /// `StandIn` over HTTP, for tests in other languages (see the README, "Testing without
    /// Cloudflare, from any language").
    pub fn admin_url(&self) -> String {
        admin::url(&self.base_url)
    }

    /// A client of the stand-in: its base URL, plain http allowed, the token [`TOKEN`].
    pub fn client(&self) -> Client {
        match self.client_builder().build() {
            Ok(client) => client,
            Err(e) => panic!("cannot build a client of the stand-in: {e}"),
        }
    }

    /// A client builder set up like [`StandIn::client`], to change retries, timeouts or
    /// credentials before building.
    pub fn client_builder(&self) -> crate::ClientBuilder {
        Client::builder()
            .base_url(&self.base_url)
            .allow_http(true)
            .credentials(Credentials::Token(TOKEN.into()))
    }

    /// Adds an item, as if it had been created through the API, and returns its id.
    ///
    /// # Panics
    ///
    /// When the seed is not valid (a certificate or CSR that does not parse, a hostname
    /// association naming no uploaded certificate, an id that is not 32 hex characters): a seed is
    /// the test's own input.
    pub fn seed(&self, seed: impl Into<Seed>) -> String {
        match self.shared.seed(seed.into()) {
            Ok(id) => id,
            Err(e) => panic!("invalid stand-in seed: {e}"),
        }
    }

    /// Adds every entry of a seed file (see [`SeedFile`]), all or none: an error names the file
    /// and the entry, and leaves the stand-in as it was. Each entry's path
    /// (`zones[0].client_certificates[1]`) with the id of what it made.
    pub fn seed_file(&self, file: &SeedFile) -> Result<Seeded, SeedFileError> {
        self.shared.seed_file(file)
    }

    /// Every request received so far, oldest first (not those of the admin API).
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.requests()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        self.shared.clear_requests();
    }

    /// Queues a fault for the next requests it matches (see [`Fault`]). Faults are tried in the
    /// order injected; the first that matches a request is used and counts down.
    pub fn inject(&self, fault: Fault) {
        self.shared.inject(fault);
    }

    /// Removes every queued fault.
    pub fn clear_faults(&self) {
        self.shared.clear_faults();
    }

    /// Back to the state of a stand-in just started: every item, fault and recorded request is
    /// forgotten. The managed CA stays, so clients that trust it keep working.
    pub fn reset(&self) {
        self.shared.reset();
    }

    /// The PEM certificate of the managed CA that issues API Shield client certificates.
    pub fn managed_ca_pem(&self) -> String {
        self.shared.managed_ca_pem()
    }
}

impl std::fmt::Debug for StandIn {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StandIn")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl Drop for StandIn {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Accepts connections until told to stop; a task per connection.
async fn serve(
    listener: std::net::TcpListener,
    shared: Arc<Shared>,
    mut stopped: oneshot::Receiver<()>,
) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
        return;
    };
    loop {
        let accepted = tokio::select! {
            _ = &mut stopped => return,
            accepted = listener.accept() => accepted,
        };
        let Ok((stream, _peer)) = accepted else {
            continue;
        };
        let shared = shared.clone();
        tokio::spawn(async move {
            let service = service_fn(move |req| answer(req, shared.clone()));
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .await;
        });
    }
}

/// A request ended without an answer: the connection is closed ([`Fault::drop_connection`]).
#[derive(Debug)]
struct Dropped;

impl std::fmt::Display for Dropped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("connection dropped by an injected fault")
    }
}

impl std::error::Error for Dropped {}

/// Reads, records and answers one request.
async fn answer(
    req: hyper::Request<Incoming>,
    shared: Arc<Shared>,
) -> Result<hyper::Response<Full<Bytes>>, Dropped> {
    let (parts, body) = req.into_parts();
    let body = match Limited::new(body, MAX_BODY).collect().await {
        Ok(collected) => collected.to_bytes(),
        Err(_) => return Ok(render(Reply::too_large())),
    };
    let raw_path = parts.uri.path();
    if admin::is_admin(raw_path) {
        return Ok(render(admin::answer(&parts, &body, &shared)));
    }
    let recorded = RecordedRequest::of(&parts, &body);
    let fault = shared.record(&recorded);
    if let Some(kind) = fault {
        match kind {
            FaultKind::Delay(delay) => tokio::time::sleep(delay).await,
            FaultKind::DropConnection => return Err(Dropped),
            other => return Ok(render(other.reply())),
        }
    }
    let reply = shared.handle(&recorded);
    Ok(render(reply))
}

/// The HTTP response of a reply.
fn render(reply: Reply) -> hyper::Response<Full<Bytes>> {
    let mut response = hyper::Response::new(Full::new(Bytes::from(reply.body)));
    *response.status_mut() = hyper::StatusCode::from_u16(reply.status)
        .unwrap_or(hyper::StatusCode::INTERNAL_SERVER_ERROR);
    let headers = response.headers_mut();
    for (name, value) in reply.headers {
        if let (Ok(name), Ok(value)) = (
            hyper::header::HeaderName::from_bytes(name.as_bytes()),
            hyper::header::HeaderValue::from_str(&value),
        ) {
            headers.append(name, value);
        }
    }
    response
}
