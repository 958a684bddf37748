//! The loopback HTTP server: one thread with its own runtime, a task per connection, faults
//! applied before a request reaches the API, every request recorded.

use super::api::{Reply, State};
use super::faults::{Fault, FaultKind};
use super::seed::Seed;
use super::TOKEN;
use crate::{Client, Credentials};
use bytes::Bytes;
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::service::service_fn;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
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

/// A request the stand-in received, as it arrived (before any fault).
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct RecordedRequest {
    /// The HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// The path, without Cloudflare's `/client/v4` prefix when it had one (`/zones/…/client_certificates`).
    pub path: String,
    /// The query string, without `?`, if any.
    pub query: Option<String>,
    /// The headers, names in lower case, in the order received (credentials included: this is the
    /// test's own server).
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The value of header `name` (case-insensitive), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as JSON, if it is JSON.
    pub fn json(&self) -> Option<serde_json::Value> {
        serde_json::from_slice(&self.body).ok()
    }
}

/// What the server's tasks and the test share.
pub(super) struct Shared {
    state: Mutex<State>,
    faults: Mutex<Vec<Fault>>,
    requests: Mutex<Vec<RecordedRequest>>,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
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
        let listener = std::net::TcpListener::bind(("127.0.0.1", 0))?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let shared = Arc::new(Shared {
            state: Mutex::new(State::new()?),
            faults: Mutex::new(Vec::new()),
            requests: Mutex::new(Vec::new()),
        });
        let (stop, stopped) = oneshot::channel();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let serving = shared.clone();
        let thread = std::thread::Builder::new()
            .name("cloudflare-mtls-stand-in".into())
            .spawn(move || runtime.block_on(serve(listener, serving, stopped)))?;
        Ok(StandIn {
            base_url: format!("http://{addr}/client/v4"),
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
    pub fn seed(&self, seed: Seed) -> String {
        match seed.apply(&mut lock(&self.shared.state)) {
            Ok(id) => id,
            Err(e) => panic!("invalid stand-in seed: {e}"),
        }
    }

    /// Every request received so far, oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Forgets the requests received so far.
    pub fn clear_requests(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Queues a fault for the next requests it matches (see [`Fault`]). Faults are tried in the
    /// order injected; the first that matches a request is used and counts down.
    pub fn inject(&self, fault: Fault) {
        lock(&self.shared.faults).push(fault);
    }

    /// The PEM certificate of the managed CA that issues API Shield client certificates.
    pub fn managed_ca_pem(&self) -> String {
        lock(&self.shared.state).managed_ca_pem().to_owned()
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
    let path = raw_path
        .strip_prefix("/client/v4")
        .filter(|rest| rest.is_empty() || rest.starts_with('/'))
        .unwrap_or(raw_path)
        .to_owned();
    let recorded = RecordedRequest {
        method: parts.method.as_str().to_owned(),
        path,
        query: parts.uri.query().map(str::to_owned),
        headers: parts
            .headers
            .iter()
            .map(|(n, v)| {
                (
                    n.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect(),
        body: body.to_vec(),
    };
    lock(&shared.requests).push(recorded.clone());

    let fault = take_fault(&shared, &recorded);
    if let Some(kind) = fault {
        match kind {
            FaultKind::Delay(delay) => tokio::time::sleep(delay).await,
            FaultKind::DropConnection => return Err(Dropped),
            other => return Ok(render(other.reply())),
        }
    }
    let reply = lock(&shared.state).handle(&recorded);
    Ok(render(reply))
}

/// The first injected fault that matches `req`, counted down.
fn take_fault(shared: &Shared, req: &RecordedRequest) -> Option<FaultKind> {
    let mut faults = lock(&shared.faults);
    let index = faults.iter().position(|f| f.matches(req))?;
    let kind = faults[index].kind.clone();
    faults[index].remaining -= 1;
    if faults[index].remaining == 0 {
        faults.remove(index);
    }
    Some(kind)
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
